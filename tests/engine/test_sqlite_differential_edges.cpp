// Differential tests at the edges (docs/arithmetic.md): INT64_MIN/MAX and sums that cross them,
// -0.0, infinities, NaN, NULLs in every column, empty and long strings, against SQLite. Where
// the engine differs from SQLite on purpose, the test states the divergence and checks it:
//   1. An integer result outside INT64 is an ArithmeticError here; SQLite returns a REAL. Every
//      operand is evaluated, so `b - a * 2` stops on a * 2 even where b is NULL (SQLite: NULL).
//   2. AVG of integers stops like SUM when its running sum leaves INT64; SQLite's AVG never does
//      (its SUM raises "integer overflow", as ours does). Below that, ours divides the exact
//      integer sum, SQLite 3.40 a double running sum that rounds near the edges.
//   3. NaN is a value here (one group, above every number); SQLite stores NaN as NULL.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>

#include "engine/arithmetic_error.h"
#include "query_test_util.h"
#include "sqlite_oracle.h"

using namespace sg;
using namespace sg::test;

namespace {

const Schema kSchema = Schema::parse("seq:integer,k:string,a:integer,b:integer,f:float");

std::vector<RecordPtr> generate(uint64_t seed, size_t n) {
  std::mt19937_64 rng(seed);
  const std::string long_key(300, 'L');
  const Value keys[] = {N(), S(""), S("a"), S(long_key)};
  const Value as[] = {N(), I(kMin), I(kMin + 1), I(-1), I(0), I(1), I(kMax - 1), I(kMax), I(3037000500),
                      I(-3037000500), I(1ll << 62)};
  const Value bs[] = {N(), I(-2), I(-1), I(0), I(1), I(2), I(kMax), I(kMin)};
  const Value fs[] = {N(), F(-0.0), F(0.0), F(INFINITY), F(-INFINITY), F(NAN), F(1.5), F(-2.25)};
  std::vector<RecordPtr> rows;
  for (size_t i = 0; i < n; ++i) {
    rows.push_back(row({I(static_cast<int64_t>(i)), keys[rng() % 4], as[rng() % 11], bs[rng() % 8],
                        fs[rng() % 8]},
                       0, static_cast<int64_t>(i)));
  }
  return rows;
}

}  // namespace

TEST_CASE("differential edges: integer operators give SQLite's value or stop where it goes REAL") {
  const auto input = generate(7, 400);
  SqliteOracle sqlite;
  sqlite.load("t", kSchema, input);
  for (const char* expr : {"a + b", "a - b", "a * b", "-a", "a / b", "a % b", "b - a * 2"}) {
    const std::string sql = std::string("SELECT seq, ") + expr + " FROM t";
    const auto expected = sqlite.query(std::string("SELECT seq, ") + expr + ", typeof(" + expr +
                                       ") FROM t ORDER BY seq");
    auto engine = CompiledQuery::compile(sql, kSchema)->instantiate();
    size_t errors = 0;
    for (size_t i = 0; i < input.size(); ++i) {
      INFO(sql << " on row " << i << ": SQLite " << describe(expected[i]));
      Batch out;
      try {
        engine->process(input[i], out);
      } catch (const ArithmeticError& e) {
        ++errors;
        REQUIRE(e.record_offset() == static_cast<int64_t>(i));
        const std::string kind(expected[i][2].as_string());  // divergence 1
        REQUIRE((kind == "real" || (kind == "null" && (*input[i])[3].is_null())));
        continue;
      }
      REQUIRE(difference(rows_of(out), {{expected[i][0], expected[i][1]}}) == "");
      REQUIRE(expected[i][2].as_string() != "real");
    }
    if (std::string(expr) != "a % b") CHECK(errors > 0);  // the data does reach the edges
  }
}

TEST_CASE("differential edges: SUM, AVG, MIN, MAX and COUNT per key, sums crossing INT64") {
  for (uint64_t seed : {1, 2, 3, 4, 5, 6}) {
    // Few rows per key, so that some keys' sums stay in range and others cross it.
    const auto input = generate(seed, 12);
    SqliteOracle sqlite;
    sqlite.load("t", kSchema, input);
    for (const char* key : {"k IS NULL", "k = ''", "k = 'a'", "k > 'a'"}) {
      const std::string where = std::string(" FROM t WHERE ") + key;
      INFO("seed " << seed << ": " << where);
      const auto others = sqlite.query("SELECT COUNT(*), COUNT(a), MIN(a), MAX(a), MIN(k), MAX(k)" +
                                       where);
      REQUIRE(difference(rows_of(run_query("SELECT COUNT(*), COUNT(a), MIN(a), MAX(a), MIN(k), "
                                           "MAX(k)" + where + " EMIT FINAL",
                                           kSchema, input)
                                     .out),
                         others) == "");
      bool sqlite_overflows = false;
      std::vector<ValueRow> expected;
      try {
        expected = sqlite.query("SELECT SUM(a)" + where);  // SQLite scans in rowid order, as we
      } catch (const std::runtime_error& e) {
        REQUIRE(std::string(e.what()).find("integer overflow") != std::string::npos);
        sqlite_overflows = true;
      }
      for (const char* agg : {"SUM(a)", "AVG(a)"}) {
        const std::string sql = std::string("SELECT ") + agg + where + " EMIT FINAL";
        if (sqlite_overflows) {  // divergence 2 for AVG
          REQUIRE_THROWS_AS(run_query(sql, kSchema, input), ArithmeticError);
          continue;
        }
        const auto ours = rows_of(run_query(sql, kSchema, input).out);
        if (agg[0] == 'S') REQUIRE(difference(ours, expected) == "");
        else REQUIRE(difference(ours, sqlite.query("SELECT CAST(SUM(a) AS REAL) / COUNT(a)" + where)) == "");
      }
    }
  }
}

TEST_CASE("differential edges: floats group, order and compare as SQLite's, NaN aside") {
  const auto input = generate(11, 300);
  SqliteOracle sqlite;
  sqlite.load("t", kSchema, input);
  // Divergence 3: our NaN group, counted into the NULL group, gives SQLite's groups. -0.0 and
  // 0.0 are one group in both.
  auto ours = rows_of(run_query("SELECT f, COUNT(*) FROM t GROUP BY f EMIT FINAL", kSchema, input).out);
  int64_t nan_rows = 0;
  std::erase_if(ours, [&](const ValueRow& r) {
    const bool nan = r[0].type() == Type::Float && std::isnan(r[0].as_float());
    if (nan) nan_rows = r[1].as_int();
    return nan;
  });
  REQUIRE(nan_rows > 0);
  for (ValueRow& r : ours) {
    if (r[0].is_null()) r[1] = I(r[1].as_int() + nan_rows);
  }
  sort_rows(ours);
  auto expected = sqlite.query("SELECT f, COUNT(*) FROM t GROUP BY f");
  sort_rows(expected);
  REQUIRE(ours.size() == 6);  // NULL, 0, inf, -inf, 1.5, -2.25
  REQUIRE(difference(ours, expected) == "");
  // NaN is above every number: it passes f > x here and is NULL (filtered out) in SQLite.
  for (const char* where : {"f > 1.0", "f < 0.0", "f >= -1e308", "f = 0.0", "f <> 1.5"}) {
    INFO(where);
    auto rows = rows_of(run_query(std::string("SELECT seq, f FROM t WHERE ") + where, kSchema, input).out);
    const bool nan_kept = std::string(where).find('>') != std::string::npos;
    const size_t before = rows.size();
    std::erase_if(rows, [](const ValueRow& r) { return std::isnan(r[1].as_float()); });
    REQUIRE((before > rows.size()) == nan_kept);
    REQUIRE(difference(rows, sqlite.query(std::string("SELECT seq, f FROM t WHERE ") + where +
                                          " ORDER BY seq")) == "");
  }
  const auto extremes = rows_of(run_query("SELECT MIN(f), MAX(f) FROM t EMIT FINAL", kSchema, input).out);
  REQUIRE(extremes[0][0].as_float() == -INFINITY);
  REQUIRE(std::isnan(extremes[0][1].as_float()));  // SQLite: inf, NaN being NULL there
  REQUIRE(sqlite.query("SELECT MAX(f) FROM t")[0][0].as_float() == INFINITY);
}
