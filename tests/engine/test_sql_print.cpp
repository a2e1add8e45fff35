// The AST printer in each dialect: our own (canonical, parses back to the same text) and one
// that sets every hook, as a peer's does (harness/peers/sql_translation.cpp).
#include <catch2/catch.hpp>

#include <string>

#include "engine/sql/parser.h"

using namespace sg;
using namespace sg::ast;

namespace {

std::string ours(const std::string& sql) {
  return parse_select(sql).to_sql();
}

// Everything a dialect can change: quoting, an operator's spelling, spaced minus, the frame's
// order, `*`, and the batch form of windows.
SqlDialect other_dialect() {
  SqlDialect d;
  d.identifier = [](std::string_view name) { return "`" + std::string(name) + "`"; };
  d.binary_operator = [](const Expr& e) -> std::string {
    return e.binary_op == BinaryOp::Ne ? "!=" : op_text(e.binary_op);
  };
  d.spaced_minus = true;
  d.frame_order_column = "seq";
  d.star_columns = {"a", "b"};
  d.batch = true;
  d.event_time_column = "et";
  return d;
}

std::string other(const std::string& sql) {
  return parse_select(sql).to_sql(other_dialect());
}

}  // namespace

TEST_CASE("sql print: precedence and parentheses in each dialect") {
  struct Case {
    const char* sql;
    const char* ours;
    const char* other;
  };
  const Case cases[] = {
      {"(a+b)*c", "(a + b) * c", "(`a` + `b`) * `c`"},
      {"a-(b-c)", "a - (b - c)", "`a` - (`b` - `c`)"},
      {"(a-b)-c", "a - b - c", "`a` - `b` - `c`"},
      {"a/(b*c)%d", "a / (b * c) % d", "`a` / (`b` * `c`) % `d`"},
      {"-(a+b)", "-(a + b)", "- (`a` + `b`)"},
      {"- -a", "- -a", "- - `a`"},
      {"-(5)", "-(5)", "- 5"},
      {"- -5", "- -5", "- -5"},
      {"-a * -b", "-a * -b", "- `a` * - `b`"},
      {"not (a or b) and c", "NOT (a OR b) AND c", "NOT (`a` OR `b`) AND `c`"},
      {"(not a) = b", "(NOT a) = b", "(NOT `a`) = `b`"},
      {"a = (b is null)", "a = (b IS NULL)", "`a` = (`b` IS NULL)"},
      {"(a <> b) is not null", "a <> b IS NOT NULL", "`a` != `b` IS NOT NULL"},
      {"a or b and c", "a OR b AND c", "`a` OR `b` AND `c`"},
      {"(a or b) and c", "(a OR b) AND c", "(`a` OR `b`) AND `c`"},
      {"f(a+1, 'it''s') > -2.5", "F(a + 1, 'it''s') > -2.5", "F(`a` + 1, 'it''s') > -2.5"},
  };
  for (const Case& c : cases) {
    INFO(c.sql);
    const std::string sql = std::string("SELECT ") + c.sql + " FROM t";
    CHECK(ours(sql) == std::string("SELECT ") + c.ours + " FROM t");
    CHECK(other(sql) == std::string("SELECT ") + c.other + " FROM `t`");
  }
}

TEST_CASE("sql print: statements in our dialect parse back to the same text") {
  for (const char* sql : {
           "SELECT * FROM t",
           "SELECT a AS \"my col\", \"select\" FROM \"group\" WHERE NOT a > 1 OR b IS NULL",
           "SELECT k, COUNT(*) AS n FROM t GROUP BY k HAVING COUNT(*) > 2 EMIT FINAL",
           "SELECT k, SUM(x) FROM t WINDOW TUMBLING (ts, INTERVAL '90' SECOND) GROUP BY k",
           "SELECT k, SUM(x) FROM t GROUP BY k WINDOW TUMBLING(1m) ALLOWED LATENESS 1500ms "
           "EMIT CHANGES",
           "SELECT k FROM t GROUP BY k, k % 4 WINDOW TUMBLING (ts, INTERVAL '2' HOUR);",
           "SELECT AVG(p) OVER (ROWS WINDOW BUFFER 10 ROWS PARTITION BY s ORDER BY ts DESC, id) "
           "FROM t",
           "SELECT x - SUM(x) OVER (ROWS 4 PRECEDING) AS d FROM t WHERE -x < - -1",
       }) {
    INFO(sql);
    const std::string once = ours(sql);
    CHECK(ours(once) == once);
  }
  CHECK(ours("select k, count(*) from t group by k window tumbling (ts, interval '1' minute) "
             "allowed lateness interval '1500' millisecond emit changes") ==
        "SELECT k, COUNT(*) FROM t GROUP BY k WINDOW TUMBLING (ts, INTERVAL '1' MINUTE) "
        "ALLOWED LATENESS INTERVAL '1500' MILLISECOND EMIT CHANGES");
  CHECK(ours("SELECT *, x FROM t TUMBLING(30s)") ==
        "SELECT *, x FROM t WINDOW TUMBLING (INTERVAL '30' SECOND)");
}

TEST_CASE("sql print: the batch form of windows, frames and stars") {
  // The tumbling bucket joins GROUP BY; lateness and EMIT are left out.
  CHECK(other("SELECT k, COUNT(*) FROM t GROUP BY k WINDOW TUMBLING(1m) ALLOWED LATENESS 1s "
              "EMIT CHANGES") ==
        "SELECT `k`, COUNT(*) FROM `t` GROUP BY `k`, `et` - (`et` % 60000)");
  CHECK(other("SELECT COUNT(*) FROM t WINDOW TUMBLING (ts, INTERVAL '1' SECOND)") ==
        "SELECT COUNT(*) FROM `t` GROUP BY `ts` - (`ts` % 1000)");
  // The frame is ordered by the dialect's column, whatever ORDER BY says.
  CHECK(other("SELECT *, SUM(x) OVER (PARTITION BY k ORDER BY ts DESC ROWS 2 PRECEDING) FROM t") ==
        "SELECT `a`, `b`, SUM(`x`) OVER (PARTITION BY `k` ORDER BY `seq` ROWS BETWEEN 2 "
        "PRECEDING AND CURRENT ROW) FROM `t`");
}

TEST_CASE("sql print: a call without OVER gets the dialect's window, others keep theirs") {
  SqlDialect d;
  d.call_window = [](const Expr& e) { return e.name == "SUM" ? std::string("w") : std::string(); };
  CHECK(parse_select("SELECT SUM(x) / COUNT(*), SUM(x) OVER (ROWS 2 PRECEDING), LOWER(k) FROM t")
            .to_sql(d) ==
        "SELECT SUM(x) OVER w / COUNT(*), SUM(x) OVER (ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), "
        "LOWER(k) FROM t");
}
