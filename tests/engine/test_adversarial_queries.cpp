// Hostile queries through the whole compile path (CompiledQuery::compile) and, where they
// compile, through an engine on real records: every one either runs with defined results or
// fails with a SqlError that names line:column. Never a crash, a stack overflow or UB (the
// ASan+UBSan build runs these too).
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "engine/query.h"
#include "engine/arithmetic_error.h"
#include "query_test_util.h"

using namespace sg;
using namespace sg::test;

namespace {

const Schema kSchema = Schema::parse("x:integer,f:float,s:string,t:timestamp");

std::vector<RecordPtr> some_rows() {
  return {row({I(1), F(1.5), S("a"), T(1000)}, 1000, 0),
          row({I(-7), F(-2.0), S("b"), T(2000)}, 2000, 1),
          row({I(0), F(0.0), S(""), T(3000)}, 3000, 2)};
}

// The error message compile() throws, "" when it compiles.
std::string compile_error(const std::string& sql) {
  try {
    CompiledQuery::compile(sql, kSchema);
  } catch (const SqlError& e) {
    // Every error names a place: "LINE:COLUMN: ..."
    const std::string what = e.what();
    REQUIRE(e.pos().line >= 1);
    REQUIRE(e.pos().column >= 1);
    REQUIRE(what.rfind(std::to_string(e.pos().line) + ":" + std::to_string(e.pos().column) + ": ",
                       0) == 0);
    REQUIRE_FALSE(e.message().empty());
    return what;
  }
  return "";
}

std::string repeat(const std::string& s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

// The single value of the single output row of `sql` over one record with x = `x`.
std::string eval_one(const std::string& expr, int64_t x, double f = 0.0) {
  const auto rows =
      run_rows("SELECT " + expr + " FROM t", kSchema, {row({I(x), F(f), S("s"), T(0)})});
  REQUIRE(rows.size() == 1);
  return rows[0];
}

}  // namespace

TEST_CASE("adversarial: nesting far past the depth limit is an error, not a stack overflow") {
  const size_t deep = 100'000;
  for (const std::string& sql : {
           "SELECT " + repeat("(", deep) + "x" + repeat(")", deep) + " FROM t",
           "SELECT " + repeat("- ", deep) + "x FROM t",
           "SELECT x FROM t WHERE " + repeat("NOT ", deep) + "x > 1",
           "SELECT " + repeat("SUM(", deep) + "x" + repeat(")", deep) + " FROM t",
           "SELECT x" + repeat(" + x", deep) + " FROM t",
           "SELECT x FROM t WHERE " + repeat("x = 1 OR ", deep) + "x = 2",
           "SELECT x FROM t WHERE " + repeat("x = 1 AND ", deep) + "x = 2",
           "SELECT x FROM t GROUP BY " + repeat("(", deep) + "x" + repeat(")", deep),
           // Unbalanced: the error must come before (or instead of) the missing ')'.
           "SELECT " + repeat("(", deep) + " FROM t",
       }) {
    const std::string err = compile_error(sql);
    INFO(err.substr(0, 200));
    REQUIRE_THAT(err, Catch::Contains("nested too deeply (limit 200)"));
  }
}

TEST_CASE("adversarial: deep arithmetic just inside the limit compiles and evaluates per record") {
  // A left-deep chain: x + 1 + 1 + ... with 190 additions.
  {
    const std::string sql = "SELECT x" + repeat(" + 1", 190) + " AS y FROM t";
    const auto rows = run_rows(sql, kSchema, some_rows());
    REQUIRE(rows == std::vector<std::string>{"191", "183", "190"});
  }
  // A right-deep tree through parentheses: x - (x - (x - ... (x) ...)), 90 levels. Each level
  // alternates sign, so with an even number of x's the value is 0.
  {
    std::string e = "x";
    for (int i = 0; i < 89; ++i) e = "x - (" + e + ")";
    const auto rows = run_rows("SELECT " + e + " FROM t", kSchema, some_rows());
    REQUIRE(rows == std::vector<std::string>{"0", "0", "0"});
  }
  // Deep conditions in WHERE, evaluated per record, and a deep aggregate argument.
  {
    const std::string cond = "x > -100" + repeat(" AND x < 100", 150);
    const auto rows = run_rows("SELECT x FROM t WHERE " + cond, kSchema, some_rows());
    REQUIRE(rows.size() == 3);
    const auto sum =
        run_rows("SELECT SUM(" + repeat("(", 150) + "x" + repeat(")", 150) + ") FROM t", kSchema,
                 some_rows());
    REQUIRE(sum.back() == "-6");  // without GROUP BY, each record emits the running total
  }
}

TEST_CASE("adversarial: thousands of select items compile and produce full rows") {
  std::string sql = "SELECT ";
  const int items = 2000;
  for (int i = 0; i < items; ++i) {
    if (i) sql += ", ";
    sql += "x + " + std::to_string(i) + " AS c" + std::to_string(i);
  }
  sql += " FROM t WHERE x >= 0";
  QueryRun run = run_query(sql, kSchema, some_rows());
  REQUIRE(run.query->output_schema().size() == static_cast<size_t>(items));
  REQUIRE(run.out.size() == 2);  // x = 1 and x = 0
  const Record& first = *run.out[0];
  REQUIRE(first.size() == static_cast<size_t>(items));
  for (int i = 0; i < items; ++i) REQUIRE(first[i].as_int() == 1 + i);
  REQUIRE((*run.out[1])[items - 1].as_int() == items - 1);

  // The same many items as aggregates, grouped.
  std::string agg = "SELECT s";
  for (int i = 0; i < 500; ++i) agg += ", SUM(x + " + std::to_string(i) + ")";
  agg += " FROM t GROUP BY s";
  QueryRun grouped = run_query(agg, kSchema, some_rows());
  REQUIRE(grouped.out.size() == 3);
  // 20 000 duplicate names: a clear error or a valid plan, whichever the engine chooses.
  const std::string dup = "SELECT " + repeat("x AS a, ", 20'000) + "x AS a FROM t";
  const std::string err = compile_error(dup);
  if (!err.empty()) REQUIRE_THAT(err, Catch::Contains("'a'"));
}

TEST_CASE("adversarial: huge literals and identifiers") {
  const std::string big(1 << 20, 'z');  // a 1 MiB string literal
  const auto rows = run_rows("SELECT '" + big + "' AS big, x FROM t", kSchema, some_rows());
  REQUIRE(rows.size() == 3);
  REQUIRE(rows[0] == big + "|1");
  // Compared with a column, in WHERE: no row matches.
  REQUIRE(run_rows("SELECT x FROM t WHERE s = '" + big + "'", kSchema, some_rows()).empty());

  REQUIRE_THAT(compile_error("SELECT 99999999999999999999 FROM t"),
               Catch::Contains("integer literal out of range"));
  REQUIRE_THAT(compile_error("SELECT -9223372036854775809 FROM t"),
               Catch::Contains("integer literal out of range"));
  REQUIRE_THAT(compile_error("SELECT 1e999 FROM t"), Catch::Contains("out of range"));
  REQUIRE(compile_error("SELECT -9223372036854775808 AS m FROM t").empty());
  REQUIRE(compile_error("SELECT " + std::string(5000, '9') + " FROM t") != "");

  const std::string name(100'000, 'q');
  REQUIRE_THAT(compile_error("SELECT " + name + " FROM t"),
               Catch::Contains("identifier too long (100000 bytes, limit 1024)"));
  REQUIRE_THAT(compile_error("SELECT " + std::string(1000, 'q') + " FROM t"),
               Catch::Contains("unknown column"));
  REQUIRE_THAT(compile_error("SELECT x FROM t WHERE s = '" + big),  // unterminated
               Catch::StartsWith("1:"));
  REQUIRE_THAT(compile_error("SELECT x FROM t WINDOW TUMBLING (t, INTERVAL '" +
                             std::string(400, '9') + "' SECOND)"),
               Catch::StartsWith("1:"));
  REQUIRE_THAT(compile_error("SELECT COUNT(*) FROM t WINDOW TUMBLING (t, INTERVAL "
                             "'9223372036854775' HOUR)"),
               Catch::StartsWith("1:"));
  REQUIRE_THAT(
      compile_error("SELECT SUM(x) OVER (ROWS WINDOW BUFFER 99999999999999999999 ROWS) FROM t"),
      Catch::StartsWith("1:"));
}

TEST_CASE("adversarial: unknown functions, wrong argument counts and type errors are named") {
  REQUIRE_THAT(compile_error("SELECT FOO(x) FROM t"),
               Catch::StartsWith("1:8: unknown function 'FOO'"));
  REQUIRE_THAT(compile_error("SELECT x FROM t WHERE lower(s) = 'a'"),
               Catch::Contains("unknown function 'LOWER'"));
  REQUIRE_THAT(compile_error("SELECT SUM(x, x) FROM t"),
               Catch::Contains("SUM takes exactly 1 argument, got 2"));
  REQUIRE_THAT(compile_error("SELECT AVG() FROM t"),
               Catch::Contains("AVG takes exactly 1 argument, got 0"));
  REQUIRE_THAT(compile_error("SELECT COUNT(x, s, f) FROM t"),
               Catch::Contains("COUNT takes exactly 1 argument (or *), got 3"));
  REQUIRE_THAT(compile_error("SELECT MAX(*) FROM t"), Catch::Contains("only allowed in COUNT(*)"));
  REQUIRE_THAT(compile_error("SELECT SUM(" + repeat("x, ", 3000) + "x) FROM t"),
               Catch::Contains("got 3001"));

  for (const char* sql : {
           "SELECT s + 1 FROM t",
           "SELECT -s FROM t",
           "SELECT x FROM t WHERE x",
           "SELECT x FROM t WHERE NOT x",
           "SELECT x FROM t WHERE s > 1",
           "SELECT x FROM t WHERE x AND s",
           "SELECT SUM(s) FROM t",
           "SELECT AVG(s) FROM t",
           "SELECT SUM(SUM(x)) FROM t",
           "SELECT x FROM t GROUP BY s",
           "SELECT x FROM t HAVING x > 1",
           "SELECT * , COUNT(*) FROM t",
       }) {
    INFO(sql);
    const std::string err = compile_error(sql);
    INFO(err);
    REQUIRE_FALSE(err.empty());
  }
}

TEST_CASE("adversarial: garbage input never crashes the compile path") {
  for (const std::string& sql : {
           std::string(""),
           std::string(";"),
           std::string(1000, ';'),
           std::string("SELECT"),
           std::string("SELECT\0x FROM t", 15),
           std::string("SELECT \xff\xfe FROM t"),
           std::string("SELECT x FROM t t t t"),
           std::string("SELECT x FROM"),
           std::string("SELECT 'x FROM t"),
           std::string("SELECT \"x FROM t"),
           std::string("SELECT x FROM t WHERE x = = 1"),
           std::string("SELECT x,,x FROM t"),
           std::string("SELECT x FROM t ") + repeat("EMIT FINAL ", 50),
           std::string("SELECT x FROM t\n\n\n   WHERE ((x)"),
           repeat("SELECT ", 10'000),
           std::string(10'000, '('),
           std::string(10'000, ')'),
           std::string("SELECT /* x FROM t"),
       }) {
    INFO(sql.substr(0, 60));
    REQUIRE_FALSE(compile_error(sql).empty());
  }
  // The position is the real line and column.
  REQUIRE_THAT(compile_error("SELECT x\nFROM t\n  WHERE x = = 1"), Catch::StartsWith("3:13: "));
}

TEST_CASE("adversarial: integer overflow stops with an error, defined, never UB") {
  // The rule of docs/arithmetic.md: every result outside INT64 is an ArithmeticError.
  for (const auto& [sql, x] : std::vector<std::pair<const char*, int64_t>>{
           {"x + 9223372036854775807", 1},
           {"x - 9223372036854775807 - 2", 0},
           {"x * x", 4'294'967'296},
           {"x * 3", kMax},
           {"-x", kMin},
           {"x / -1", kMin},
           {"-9223372036854775808 / x", -1},
           {"x - t - 1", kMin}}) {
    INFO(sql);
    REQUIRE_THROWS_AS(eval_one(sql, x), ArithmeticError);
  }
  REQUIRE(eval_one("x % -1", kMin) == "0");  // exact: 0 fits
  REQUIRE(eval_one("t + x", kMax) == std::to_string(kMax));  // t = 0
  std::vector<RecordPtr> huge = {row({I(kMax), F(0), S("a"), T(0)}),
                                 row({I(kMax), F(0), S("a"), T(0)}),
                                 row({I(2), F(0), S("a"), T(0)})};
  REQUIRE_THROWS_AS(run_rows("SELECT SUM(x) FROM t", kSchema, huge), ArithmeticError);
  REQUIRE_THROWS_AS(run_rows("SELECT AVG(x) FROM t", kSchema, huge), ArithmeticError);
  REQUIRE(run_rows("SELECT COUNT(*), MAX(x), MIN(x) FROM t", kSchema, huge).back() ==
          "3|" + std::to_string(kMax) + "|2");
  // Floating overflow is IEEE: inf, not UB.
  REQUIRE(eval_one("f * 1e308 * 10", 0, 1e308) == "inf");
}

TEST_CASE("adversarial: division and modulo by zero give NULL") {
  REQUIRE(eval_one("x / 0", 5) == "NULL");
  REQUIRE(eval_one("x % 0", 5) == "NULL");
  REQUIRE(eval_one("x / (x - x)", kMin) == "NULL");
  REQUIRE(eval_one("f / 0", 0, 1.0) == "NULL");
  REQUIRE(eval_one("f % 0.0", 0, 1.0) == "NULL");
  REQUIRE(eval_one("x / f", 3, 0.0) == "NULL");
  REQUIRE(eval_one("x / 2", -7) == "-3");  // truncates toward zero
  REQUIRE(eval_one("x % 3", -7) == "-1");
  // In a WHERE: NULL is not true, the row is dropped, the query goes on.
  REQUIRE(run_rows("SELECT x FROM t WHERE 10 / x > 1", kSchema, some_rows()) ==
          std::vector<std::string>{"1"});
  // Inside an aggregate: NULLs are ignored.
  REQUIRE(
      run_rows("SELECT SUM(10 / x), COUNT(10 / x), COUNT(*) FROM t", kSchema, some_rows()).back() ==
      "9|2|3");
}

TEST_CASE("adversarial: tumbling windows at the ends of the time range") {
  std::vector<RecordPtr> extremes = {
      row({I(1), F(0), S("a"), T(kMin)}, kMin, 0),
      row({I(2), F(0), S("a"), T(kMin + 1)}, kMin + 1, 1),
      row({I(3), F(0), S("a"), T(0)}, 0, 2),
      row({I(4), F(0), S("a"), T(kMax - 1)}, kMax - 1, 3),
      row({I(5), F(0), S("a"), T(kMax)}, kMax, 4),
  };
  for (const char* size : {"1 ms", "INTERVAL '1' HOUR", "INTERVAL '2562047788015' HOUR"}) {
    for (const char* emit : {"EMIT FINAL", "EMIT CHANGES"}) {
      const std::string sql = std::string("SELECT s, COUNT(*), SUM(x) FROM t GROUP BY s ") +
                              "WINDOW TUMBLING (t, " + size + ") " + emit;
      INFO(sql);
      const QueryRun run = run_query(sql, kSchema, extremes);
      // Every record lands in some window; no count is lost or doubled.
      int64_t last_counts = 0;
      if (std::string(emit) == "EMIT FINAL") {
        for (const RecordPtr& r : run.out) last_counts += (*r)[1].as_int();
        REQUIRE(last_counts == 5);
      } else {
        REQUIRE(run.out.size() >= 5);
      }
    }
  }
}
