#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "engine/sql/parser.h"

using namespace sg;
using namespace sg::ast;

namespace {

// The SqlError parse_select(sql) throws; fails the test when it throws none.
SqlError parse_error(std::string_view sql) {
  try {
    parse_select(sql);
  } catch (const SqlError& e) {
    return e;
  }
  FAIL("expected an SqlError for: " << sql);
  throw std::logic_error("unreachable");
}

// The tree as an S-expression, with every operator explicit: precedence shows as nesting.
std::string tree(const Expr& e) {
  auto args = [&](const char* sep) {
    std::string out;
    for (size_t i = 0; i < e.args.size(); ++i) out += (i ? sep : "") + tree(*e.args[i]);
    return out;
  };
  switch (e.kind) {
    case ExprKind::Column:
      return e.name;
    case ExprKind::Literal:
      return e.to_sql();
    case ExprKind::Unary:
      return std::string("(") + op_text(e.unary_op) + " " + args("") + ")";
    case ExprKind::Binary:
      return std::string("(") + op_text(e.binary_op) + " " + args(" ") + ")";
    case ExprKind::IsNull:
      return (e.negated ? "(IS-NOT-NULL " : "(IS-NULL ") + args("") + ")";
    case ExprKind::Call:
      return e.name + "(" + (e.star ? "*" : args(", ")) + ")";
  }
  return "?";
}

// The first select item's expression of SELECT <expr> FROM t.
std::string expr_tree(const std::string& expr) {
  SelectStatement stmt = parse_select("SELECT " + expr + " FROM t");
  REQUIRE(stmt.items.size() == 1);
  return tree(*stmt.items[0].expr);
}

std::string expr_sql(const std::string& expr) {
  SelectStatement stmt = parse_select("SELECT " + expr + " FROM t");
  REQUIRE(stmt.items.size() == 1);
  return stmt.items[0].expr->to_sql();
}

void require_column(const ExprPtr& e, const std::string& name) {
  REQUIRE(e != nullptr);
  REQUIRE(e->kind == ExprKind::Column);
  REQUIRE(e->name == name);
}

const char* kMovingAverage =
    "SELECT symbol, price, AVG(price) OVER (ROWS WINDOW BUFFER 100 ROWS PARTITION BY symbol "
    "ORDER BY timestamp) as moving_avg, MIN(price) OVER (ROWS WINDOW BUFFER 100 ROWS PARTITION BY "
    "symbol ORDER BY timestamp) as min_price, MAX(price) OVER (ROWS WINDOW BUFFER 100 ROWS "
    "PARTITION BY symbol ORDER BY timestamp) as max_price FROM market_data";
const char* kTraderGroupBy =
    "SELECT trader_id, symbol, COUNT(*) as trade_count, AVG(price) as avg_price, SUM(quantity) as "
    "total_quantity, SUM(price * quantity) as total_value FROM market_data GROUP BY trader_id, "
    "symbol";

}  // namespace

// ---- the seed queries ----

TEST_CASE("parser: seed 0, a filter with a projection") {
  SelectStatement s = parse_select(
      "SELECT order_id, customer_id, order_date, total_amount FROM orders WHERE total_amount > "
      "100");
  REQUIRE(s.items.size() == 4);
  require_column(s.items[0].expr, "order_id");
  require_column(s.items[3].expr, "total_amount");
  for (const SelectItem& item : s.items) REQUIRE(item.alias.empty());
  REQUIRE(s.from == "orders");
  REQUIRE(s.from_pos.column == 61);
  REQUIRE(tree(*s.where) == "(> total_amount 100)");
  REQUIRE(s.where->pos.column == 87);  // the operator
  REQUIRE(s.where->args[1]->literal.type() == Type::Integer);
  REQUIRE(s.group_by.empty());
  REQUIRE_FALSE(s.window.has_value());
  REQUIRE(s.emit == EmitMode::Default);
}

TEST_CASE("parser: seed 1, ROWS WINDOW BUFFER over partitions") {
  SelectStatement s = parse_select(kMovingAverage);
  REQUIRE(s.items.size() == 5);
  require_column(s.items[0].expr, "symbol");
  require_column(s.items[1].expr, "price");
  const char* names[] = {"AVG", "MIN", "MAX"};
  const char* aliases[] = {"moving_avg", "min_price", "max_price"};
  for (int i = 0; i < 3; ++i) {
    const SelectItem& item = s.items[2 + i];
    INFO(aliases[i]);
    REQUIRE(item.alias == aliases[i]);
    REQUIRE(item.expr->kind == ExprKind::Call);
    REQUIRE(item.expr->name == names[i]);
    REQUIRE(item.expr->args.size() == 1);
    require_column(item.expr->args[0], "price");
    REQUIRE(item.expr->over != nullptr);
    const OverClause& over = *item.expr->over;
    REQUIRE(over.frame_rows == 100);
    REQUIRE(over.partition_by.size() == 1);
    require_column(over.partition_by[0], "symbol");
    REQUIRE(over.order_by.size() == 1);
    require_column(over.order_by[0].expr, "timestamp");
    REQUIRE_FALSE(over.order_by[0].descending);
  }
  REQUIRE(s.items[2].expr->over->pos.column == 34);
  REQUIRE(s.from == "market_data");
  REQUIRE(s.group_by.empty());
}

TEST_CASE("parser: seed 2, GROUP BY with five aggregates") {
  SelectStatement s = parse_select(kTraderGroupBy);
  REQUIRE(s.items.size() == 6);
  const SelectItem& count = s.items[2];
  REQUIRE(count.alias == "trade_count");
  REQUIRE(count.expr->kind == ExprKind::Call);
  REQUIRE(count.expr->name == "COUNT");
  REQUIRE(count.expr->star);
  REQUIRE(count.expr->args.empty());
  REQUIRE(count.expr->over == nullptr);
  REQUIRE(tree(*s.items[3].expr) == "AVG(price)");
  REQUIRE(tree(*s.items[4].expr) == "SUM(quantity)");
  REQUIRE(tree(*s.items[5].expr) == "SUM((* price quantity))");
  REQUIRE(s.items[5].alias == "total_value");
  REQUIRE(s.group_by.size() == 2);
  require_column(s.group_by[0], "trader_id");
  require_column(s.group_by[1], "symbol");
  REQUIRE_FALSE(s.window.has_value());
  REQUIRE(s.emit == EmitMode::Default);
}

TEST_CASE("parser: seeds 3a and 3b, tumbling windows with and without EMIT CHANGES") {
  std::string tumbling =
      std::string(kTraderGroupBy) + " WINDOW TUMBLING (trade_time, INTERVAL '1' MINUTE)";
  for (bool emit_changes : {false, true}) {
    std::string sql = tumbling + (emit_changes ? " EMIT CHANGES" : "");
    INFO(sql);
    SelectStatement s = parse_select(sql);
    REQUIRE(s.items.size() == 6);
    REQUIRE(s.group_by.size() == 2);
    REQUIRE(s.window.has_value());
    REQUIRE(s.window->time_column == "trade_time");
    REQUIRE(s.window->size_ms == 60000);
    REQUIRE(s.window->pos.column == 191);
    REQUIRE(s.window->time_column_pos.column == 208);
    REQUIRE(s.emit == (emit_changes ? EmitMode::Changes : EmitMode::Default));
    REQUIRE(s.allowed_lateness_ms == 0);
  }
}

TEST_CASE("parser: seed 2's category aggregates and the small filter") {
  SelectStatement s = parse_select(
      "SELECT category, COUNT(*) as cnt, SUM(amount) as total, AVG(amount) as avg_amt, "
      "MIN(amount) as min_amt, MAX(amount) as max_amt FROM test_stream GROUP BY category");
  REQUIRE(s.items.size() == 6);
  REQUIRE(s.items[5].alias == "max_amt");
  REQUIRE(tree(*s.items[5].expr) == "MAX(amount)");
  REQUIRE(s.from == "test_stream");
  REQUIRE(s.group_by.size() == 1);

  SelectStatement f = parse_select("SELECT id, value FROM test WHERE value > 50");
  require_column(f.items[1].expr, "value");
  REQUIRE(tree(*f.where) == "(> value 50)");
  REQUIRE(f.from == "test");
}

// ---- expressions ----

TEST_CASE("parser: operator precedence and associativity") {
  CHECK(expr_tree("a + b * c") == "(+ a (* b c))");
  CHECK(expr_tree("a * b + c") == "(+ (* a b) c)");
  CHECK(expr_tree("a - b - c") == "(- (- a b) c)");
  CHECK(expr_tree("a / b % c * d") == "(* (% (/ a b) c) d)");
  CHECK(expr_tree("(a + b) * c") == "(* (+ a b) c)");
  CHECK(expr_tree("-a * b") == "(* (- a) b)");
  CHECK(expr_tree("- -a") == "(- (- a))");
  CHECK(expr_tree("- -5") == "(- -5)");
  CHECK(expr_tree("-(5)") == "(- 5)");
  CHECK(expr_tree("a + b > c * 2") == "(> (+ a b) (* c 2))");
  CHECK(expr_tree("a = 1 OR b = 2 AND c = 3") == "(OR (= a 1) (AND (= b 2) (= c 3)))");
  CHECK(expr_tree("NOT a = 1 AND b") == "(AND (NOT (= a 1)) b)");
  CHECK(expr_tree("NOT NOT a") == "(NOT (NOT a))");
  CHECK(expr_tree("a IS NULL OR b IS NOT NULL") == "(OR (IS-NULL a) (IS-NOT-NULL b))");
  CHECK(expr_tree("a + 1 IS NULL") == "(IS-NULL (+ a 1))");
  CHECK(expr_tree("a <> b AND a != c") == "(AND (<> a b) (<> a c))");
  CHECK(expr_tree("a <= b OR a >= c OR a < d") == "(OR (OR (<= a b) (>= a c)) (< a d))");
  CHECK(expr_tree("f(a, b + 1) * 2") == "(* F(a, (+ b 1)) 2)");
  CHECK(expr_tree("((a))") == "a");
}

TEST_CASE("parser: literals") {
  SelectStatement s =
      parse_select("SELECT 42, -7, 1.5, 1e3, .5, 'it''s', TRUE, false, NULL, -2.5 FROM t");
  const auto& items = s.items;
  REQUIRE(items.size() == 10);
  for (const auto& item : items) REQUIRE(item.expr->kind == ExprKind::Literal);
  REQUIRE(items[0].expr->literal.as_int() == 42);
  REQUIRE(items[1].expr->literal.type() == Type::Integer);
  REQUIRE(items[1].expr->literal.as_int() == -7);
  REQUIRE(items[2].expr->literal.as_float() == 1.5);
  REQUIRE(items[3].expr->literal.as_float() == 1000.0);
  REQUIRE(items[4].expr->literal.as_float() == 0.5);
  REQUIRE(items[5].expr->literal.as_string() == "it's");
  REQUIRE(items[6].expr->literal.type() == Type::Boolean);
  REQUIRE(items[6].expr->literal.as_bool());
  REQUIRE_FALSE(items[7].expr->literal.as_bool());
  REQUIRE(items[8].expr->literal.is_null());
  REQUIRE(items[9].expr->literal.as_float() == -2.5);
}

TEST_CASE("parser: 64-bit integer bounds") {
  REQUIRE(parse_select("SELECT 9223372036854775807 FROM t").items[0].expr->literal.as_int() ==
          INT64_MAX);
  REQUIRE(parse_select("SELECT -9223372036854775808 FROM t").items[0].expr->literal.as_int() ==
          INT64_MIN);
  SqlError too_big = parse_error("SELECT 9223372036854775808 FROM t");
  REQUIRE(too_big.message() == "integer literal out of range: 9223372036854775808");
  REQUIRE(too_big.pos().column == 8);
  REQUIRE(parse_error("SELECT -9223372036854775809 FROM t").message() ==
          "integer literal out of range: -9223372036854775809");
  REQUIRE(parse_error("SELECT 99999999999999999999999999 FROM t").message() ==
          "integer literal out of range: 99999999999999999999999999");
  REQUIRE(parse_error("SELECT 1e999 FROM t").message() == "float literal out of range: 1e999");
}

TEST_CASE("parser: function names are upper-cased, calls take any arguments") {
  SelectStatement s = parse_select("SELECT count(*), Sum(x), now(), coalesce(a, b, 0) FROM t");
  REQUIRE(s.items[0].expr->name == "COUNT");
  REQUIRE(s.items[0].expr->star);
  REQUIRE(s.items[1].expr->name == "SUM");
  REQUIRE(s.items[2].expr->name == "NOW");
  REQUIRE(s.items[2].expr->args.empty());
  REQUIRE(s.items[3].expr->args.size() == 3);
  REQUIRE(s.items[3].expr->pos.column == 33);
  // A column may still be called distinct.
  REQUIRE(parse_select("SELECT f(distinct) FROM t").items[0].expr->args.size() == 1);
}

TEST_CASE("parser: common column names that look like keywords are identifiers") {
  SelectStatement s = parse_select(
      "SELECT timestamp, value, date, time, window, rows, order, partition, emit, interval, "
      "\"from\", \"select\" FROM events WHERE value > 1 AND window < 2 AND date IS NOT NULL");
  REQUIRE(s.items.size() == 12);
  const char* names[] = {"timestamp", "value",     "date", "time",     "window", "rows",
                         "order",     "partition", "emit", "interval", "from",   "select"};
  for (size_t i = 0; i < s.items.size(); ++i) {
    INFO(names[i]);
    require_column(s.items[i].expr, names[i]);
    REQUIRE(s.items[i].alias.empty());
  }
  REQUIRE(tree(*s.where) == "(AND (AND (> value 1) (< window 2)) (IS-NOT-NULL date))");
  // Keywords are case-insensitive; a table may be called window too.
  SelectStatement t = parse_select("select Value from Window where value > 0 group by value");
  REQUIRE(t.from == "Window");
  REQUIRE(t.group_by.size() == 1);
}

TEST_CASE("parser: select items, stars and aliases") {
  SelectStatement s =
      parse_select("SELECT *, a AS x, b y, c + 1 AS \"Total Sum\", COUNT(*) n, d \"q\" FROM t");
  REQUIRE(s.items.size() == 6);
  REQUIRE(s.items[0].star);
  REQUIRE(s.items[0].expr == nullptr);
  REQUIRE(s.items[1].alias == "x");
  REQUIRE(s.items[2].alias == "y");
  REQUIRE(s.items[3].alias == "Total Sum");
  REQUIRE(s.items[3].pos.column == 24);
  REQUIRE(s.items[4].alias == "n");
  REQUIRE(s.items[5].alias == "q");
  REQUIRE_FALSE(s.items[1].star);
}

TEST_CASE("parser: to_sql is canonical and parses back to the same text") {
  CHECK(expr_sql("price*quantity") == "price * quantity");
  CHECK(expr_sql("(a+b)*c") == "(a + b) * c");
  CHECK(expr_sql("a-(b-c)") == "a - (b - c)");
  CHECK(expr_sql("(a-b)-c") == "a - b - c");
  CHECK(expr_sql("- - 5") == "- -5");
  CHECK(expr_sql("- -0") == "-(0)");  // -0 is the literal 0, negated once more
  CHECK(expr_sql("-(a+b)") == "-(a + b)");
  CHECK(expr_sql("not (a or b) and c") == "NOT (a OR b) AND c");
  CHECK(expr_sql("(not a) = b") == "(NOT a) = b");
  CHECK(expr_sql("a != b") == "a <> b");
  CHECK(expr_sql("(a = b) is not null") == "a = b IS NOT NULL");
  CHECK(expr_sql("a = (b is null)") == "a = (b IS NULL)");
  CHECK(expr_sql("\"my col\" + \"select\" + \"ok_name\"") == "\"my col\" + \"select\" + ok_name");
  CHECK(expr_sql("1.0 + 2e0 + 0.1 + -0.0") == "1.0 + 2.0 + 0.1 + -0.0");
  CHECK(expr_sql("true and null") == "TRUE AND NULL");
  CHECK(expr_sql("count(*)") == "COUNT(*)");
  CHECK(
      expr_sql("avg(price) over (rows window buffer 10 rows partition by s, t order by ts desc)") ==
      "AVG(price) OVER (PARTITION BY s, t ORDER BY ts DESC ROWS BETWEEN 9 PRECEDING AND "
      "CURRENT ROW)");

  for (const char* expr :
       {"a - (b - c) * -d / (e % 2)", "NOT (NOT a) AND b OR c IS NULL", "-(-(-x))", "- - -0",
        "-(-(2.5))", "f(g(h(1)), 'x', -2.5e-7) >= 3", "(a OR b) AND (c OR d)", "a = b = c",
        "SUM(x) OVER (ORDER BY t ROWS 4 PRECEDING) + 1", "-9223372036854775808 - 1"}) {
    INFO(expr);
    std::string once = expr_sql(expr);
    CHECK(expr_sql(once) == once);
    CHECK(expr_tree(once) == expr_tree(expr));
  }
}

// ---- OVER, WINDOW, lateness, emit ----

TEST_CASE("parser: standard OVER frames") {
  auto over_of = [](const std::string& over) {
    SelectStatement s = parse_select("SELECT SUM(x) OVER (" + over + ") FROM t");
    REQUIRE(s.items[0].expr->over != nullptr);
    return std::move(*s.items[0].expr->over);
  };
  OverClause a = over_of("PARTITION BY k ORDER BY ts ROWS BETWEEN 99 PRECEDING AND CURRENT ROW");
  REQUIRE(a.frame_rows == 100);
  require_column(a.partition_by[0], "k");
  require_column(a.order_by[0].expr, "ts");

  OverClause b = over_of("ORDER BY ts DESC, id ASC ROWS 4 PRECEDING");
  REQUIRE(b.frame_rows == 5);
  REQUIRE(b.partition_by.empty());
  REQUIRE(b.order_by.size() == 2);
  REQUIRE(b.order_by[0].descending);
  REQUIRE_FALSE(b.order_by[1].descending);

  REQUIRE(over_of("ROWS BETWEEN CURRENT ROW AND CURRENT ROW").frame_rows == 1);
  REQUIRE(over_of("ROWS BETWEEN 0 PRECEDING AND CURRENT ROW").frame_rows == 1);
  REQUIRE(over_of("ROWS WINDOW BUFFER 1 ROWS").frame_rows == 1);
  REQUIRE(over_of("PARTITION BY a, b % 4 ROWS CURRENT ROW").partition_by.size() == 2);
}

TEST_CASE("parser: OVER errors ask for a bounded ROWS frame") {
  SqlError none = parse_error("SELECT SUM(x) OVER (PARTITION BY k ORDER BY ts) FROM t");
  REQUIRE_THAT(none.message(), Catch::StartsWith("a bounded ROWS frame is required"));
  REQUIRE_THAT(none.message(), Catch::Contains("unbounded frames are not supported"));
  REQUIRE(none.pos().column == 47);
  REQUIRE(parse_error("SELECT SUM(x) OVER () FROM t").pos().column == 21);

  SqlError unbounded =
      parse_error("SELECT SUM(x) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM t");
  REQUIRE_THAT(unbounded.message(), Catch::StartsWith("unbounded frames are not supported"));
  REQUIRE(unbounded.pos().column == 34);

  REQUIRE_THAT(parse_error("SELECT SUM(x) OVER (ROWS UNBOUNDED PRECEDING) FROM t").message(),
               Catch::StartsWith("unbounded frames are not supported"));
  REQUIRE_THAT(parse_error("SELECT SUM(x) OVER (ORDER BY t RANGE 5 PRECEDING) FROM t").message(),
               Catch::StartsWith("RANGE frames are not supported"));
  SqlError following =
      parse_error("SELECT SUM(x) OVER (ROWS BETWEEN 5 PRECEDING AND 2 FOLLOWING) FROM t");
  REQUIRE(following.message() ==
          "expected CURRENT ROW (frames must end at the current row), found integer 2");
  REQUIRE(parse_error("SELECT SUM(x) OVER (ROWS WINDOW BUFFER 0 ROWS) FROM t").message() ==
          "row count must be at least 1, found 0");
  REQUIRE(
      parse_error("SELECT SUM(x) OVER (ROWS WINDOW BUFFER 100 PARTITION BY k) FROM t").message() ==
      "expected ROWS, found identifier 'PARTITION'");
  REQUIRE(
      parse_error("SELECT SUM(x) OVER (ROWS WINDOW BUFFER 99999999999 ROWS) FROM t").message() ==
      "window frame too large: 99999999999 (limit 100000000)");
  SqlError unclosed = parse_error("SELECT SUM(x) OVER (ROWS 3 PRECEDING FROM t");
  REQUIRE(unclosed.message() == "expected ')' to close '(' at 1:20, found keyword FROM");
}

TEST_CASE("parser: WINDOW TUMBLING forms and positions in the statement") {
  struct Case {
    const char* sql;
    std::optional<std::string> column;
    int64_t size_ms;
  };
  const Case cases[] = {
      {"SELECT k FROM t WINDOW TUMBLING(1m) GROUP BY k", std::nullopt, 60000},
      {"SELECT k FROM t GROUP BY k WINDOW TUMBLING(30s)", std::nullopt, 30000},
      {"SELECT k FROM t GROUP BY k TUMBLING(250ms)", std::nullopt, 250},
      {"SELECT k FROM t GROUP BY k window tumbling(2H)", std::nullopt, 7200000},
      {"SELECT k FROM t WHERE k > 0 WINDOW TUMBLING (ts, INTERVAL '5' SECONDS) GROUP BY k", "ts",
       5000},
      {"SELECT k FROM t GROUP BY k HAVING COUNT(*) > 1 WINDOW TUMBLING (\"event time\", "
       "INTERVAL '2' HOURS)",
       "event time", 7200000},
      {"SELECT k FROM t GROUP BY k WINDOW TUMBLING (timestamp, INTERVAL '1' hour)", "timestamp",
       3600000},
      {"SELECT k FROM t GROUP BY k WINDOW TUMBLING (INTERVAL '3' MINUTES)", std::nullopt, 180000},
  };
  for (const Case& c : cases) {
    INFO(c.sql);
    SelectStatement s = parse_select(c.sql);
    REQUIRE(s.window.has_value());
    REQUIRE(s.window->time_column == c.column);
    REQUIRE(s.window->size_ms == c.size_ms);
    REQUIRE(s.group_by.size() == 1);
  }
  SelectStatement having = parse_select(cases[5].sql);
  REQUIRE(tree(*having.having) == "(> COUNT(*) 1)");
}

TEST_CASE("parser: window, lateness and emit errors") {
  SqlError zero = parse_error("SELECT k FROM t GROUP BY k WINDOW TUMBLING(0s)");
  REQUIRE(zero.message() == "window size must be greater than 0");
  REQUIRE(zero.pos().column == 44);
  REQUIRE(parse_error("SELECT k FROM t WINDOW TUMBLING (ts, INTERVAL '0' MINUTE)").message() ==
          "window size must be greater than 0");
  REQUIRE(parse_error("SELECT k FROM t WINDOW TUMBLING(5x)").message() ==
          "expected a unit (ms, s, m or h), found identifier 'x'");
  REQUIRE(parse_error("SELECT k FROM t WINDOW TUMBLING(5)").message() ==
          "expected a unit (ms, s, m or h) after 5, found ')'");
  REQUIRE(parse_error("SELECT k FROM t WINDOW TUMBLING (ts, INTERVAL 'one' MINUTE)").message() ==
          "expected a whole number of units in the INTERVAL string, found 'one'");
  REQUIRE(parse_error("SELECT k FROM t WINDOW TUMBLING (ts, INTERVAL '1' WEEK)").message() ==
          "expected SECOND, MINUTE or HOUR, found identifier 'WEEK'");
  REQUIRE(parse_error("SELECT k FROM t WINDOW TUMBLING (ts, INTERVAL 1 MINUTE)").message() ==
          "expected a quoted number such as '1' after INTERVAL, found integer 1");
  REQUIRE(parse_error("SELECT k FROM t WINDOW TUMBLING (ts 1m)").message() ==
          "expected ',' and the window size after the time column, found integer 1");
  REQUIRE(parse_error("SELECT k FROM t WINDOW TUMBLING(9223372036854775807h)").message() ==
          "interval out of range for window size");
  REQUIRE(parse_error("SELECT k FROM t WINDOW HOPPING(1m)").message() ==
          "HOPPING windows are not supported: only TUMBLING windows are");
  SqlError twice =
      parse_error("SELECT k FROM t WINDOW TUMBLING(1m) GROUP BY k\nWINDOW TUMBLING(2m)");
  REQUIRE(twice.message() == "duplicate WINDOW clause (the first one is at 1:17)");
  REQUIRE(twice.pos().line == 2);
  REQUIRE(parse_error("SELECT k FROM t GROUP BY k EMIT SOMETIMES").message() ==
          "expected CHANGES or FINAL after EMIT, found identifier 'SOMETIMES'");
  REQUIRE(parse_error("SELECT k FROM t ALLOWED INTERVAL '1' SECOND").message() ==
          "expected LATENESS, found identifier 'INTERVAL'");
}

TEST_CASE("parser: ALLOWED LATENESS, EMIT FINAL and a trailing semicolon") {
  SelectStatement s = parse_select(
      "select k, count(*) from t group by k window tumbling(1m) allowed lateness interval '30' "
      "second emit final;");
  REQUIRE(s.allowed_lateness_ms == 30000);
  REQUIRE(s.emit == EmitMode::Final);
  REQUIRE(s.window->size_ms == 60000);
  REQUIRE(parse_select("SELECT k FROM t ALLOWED LATENESS 5s").allowed_lateness_ms == 5000);
  REQUIRE(
      parse_select("SELECT k FROM t ALLOWED LATENESS INTERVAL '0' SECOND").allowed_lateness_ms ==
      0);
  REQUIRE(parse_select("SELECT k FROM t EMIT CHANGES").emit == EmitMode::Changes);
}

TEST_CASE("parser: comments and newlines anywhere") {
  SelectStatement s = parse_select(
      "-- the moving average\n"
      "SELECT symbol, -- the key\n"
      "       AVG(price) /* the value */ AS avg_price\n"
      "FROM market_data\n"
      "WHERE price > 0 -- no bad ticks\n");
  REQUIRE(s.items.size() == 2);
  REQUIRE(s.items[1].alias == "avg_price");
  REQUIRE(s.items[1].pos.line == 3);
  REQUIRE(s.items[1].pos.column == 8);
  REQUIRE(s.from_pos.line == 4);
  REQUIRE(s.where->pos.line == 5);
  REQUIRE(s.where->pos.column == 13);
}

// ---- errors ----

TEST_CASE("parser: syntax errors name what was found, what was expected and where") {
  struct Case {
    const char* sql;
    int line;
    int column;
    const char* message;
  };
  const Case cases[] = {
      {"", 1, 1, "expected SELECT, found end of input"},
      {"SELEKT a FROM t", 1, 1, "expected SELECT, found identifier 'SELEKT'"},
      {"SELECT * FORM orders", 1, 10, "expected FROM, found identifier 'FORM'"},
      {"SELECT a, b FORM orders", 1, 13, "expected FROM, found identifier 'FORM'"},
      {"SELECT a WHERE x > 1", 1, 10, "expected FROM, found keyword WHERE"},
      {"SELECT a b c FROM t", 1, 10, "expected FROM, found identifier 'b'"},
      {"SELECT FROM t", 1, 8, "expected expression, found keyword FROM"},
      {"SELECT a, FROM t", 1, 11, "expected expression, found keyword FROM"},
      {"SELECT a FROM", 1, 14, "expected table name after FROM, found end of input"},
      {"SELECT a FROM t WHERE", 1, 22, "expected expression, found end of input"},
      {"SELECT a FROM t WHERE x >", 1, 26, "expected expression, found end of input"},
      {"SELECT a\nFROM t\nWHERE (x > 1", 3, 13,
       "expected ')' to close '(' at 3:7, found end of input"},
      {"SELECT f(a, b FROM t", 1, 15, "expected ')' to close '(' at 1:9, found keyword FROM"},
      {"SELECT a FROM t WEHRE x > 1", 1, 17,
       "expected WHERE, WINDOW, GROUP BY, HAVING, ALLOWED LATENESS, EMIT, ';' or end of input, "
       "found identifier 'WEHRE'"},
      {"SELECT a FROM t GROUP BY a WHERE x > 1", 1, 28,
       "expected HAVING, WINDOW, ALLOWED LATENESS, EMIT, ';' or end of input, found keyword "
       "WHERE"},
      {"SELECT a FROM t EMIT CHANGES GROUP BY a", 1, 30,
       "expected ';' or end of input, found keyword GROUP"},
      {"SELECT a FROM t; SELECT b FROM u", 1, 18, "expected end of input, found keyword SELECT"},
      {"SELECT a FROM t GROUP a", 1, 23, "expected BY, found identifier 'a'"},
      {"SELECT a AS FROM t", 1, 13, "expected alias after AS, found keyword FROM"},
      {"SELECT a IS 5 FROM t", 1, 13, "expected NULL or NOT NULL, found integer 5"},
      {"SELECT a IS NOT 5 FROM t", 1, 17, "expected NULL, found integer 5"},
      {"SELECT SUM(*) FROM t", 1, 12,
       "'*' as an argument is only allowed in COUNT(*), not in SUM(*)"},
      {"SELECT COUNT(DISTINCT k) FROM t", 1, 14, "DISTINCT in function arguments is not supported"},
      {"SELECT a = NOT b FROM t", 1, 12, "expected expression, found keyword NOT"},
      {"SELECT a FROM (SELECT b FROM u)", 1, 15, "expected table name after FROM, found '('"},
      {"SELECT 'abc FROM t", 1, 8, "unterminated string literal"},
      {"SELECT a FROM t WHERE a # 2", 1, 25, "unexpected character '#'"},
      {"SELECT a || b FROM t", 1, 10, "unexpected character '|'"},
      {"SELECT\n  a,\n  b +\nFROM t", 4, 1, "expected expression, found keyword FROM"},
  };
  for (const Case& c : cases) {
    INFO(c.sql);
    SqlError e = parse_error(c.sql);
    CHECK(e.message() == c.message);
    CHECK(e.pos().line == c.line);
    CHECK(e.pos().column == c.column);
    CHECK(std::string(e.what()) ==
          std::to_string(c.line) + ":" + std::to_string(c.column) + ": " + c.message);
  }
}

// ---- robustness ----

TEST_CASE("parser: nesting depth is bounded with a clear error") {
  auto nested_parens = [](int depth) {
    return "SELECT " + std::string(depth, '(') + "x" + std::string(depth, ')') + " FROM t";
  };
  REQUIRE(tree(*parse_select(nested_parens(200)).items[0].expr) == "x");
  SqlError e = parse_error(nested_parens(201));
  REQUIRE(e.message() == "expression nested too deeply (limit 200)");
  REQUIRE(e.pos().column == 8 + 200);  // the 201st '('

  // Far past the limit, in every recursive form: still an error, never a stack overflow.
  const std::string deep_forms[] = {
      nested_parens(100000),
      "SELECT " +
          [] {
            std::string s;
            for (int i = 0; i < 100000; ++i) s += "- ";  // not "--", which starts a comment
            return s;
          }() +
          "x FROM t",
      "SELECT x FROM t WHERE " +
          [] {
            std::string s;
            for (int i = 0; i < 50000; ++i) s += "NOT ";
            return s;
          }() +
          "x",
      "SELECT " +
          [] {
            std::string s;
            for (int i = 0; i < 50000; ++i) s += "f(";
            return s;
          }() +
          "x FROM t",
      "SELECT SUM(x) OVER (PARTITION BY " + std::string(5000, '(') + "k) FROM t",
  };
  for (const std::string& sql : deep_forms) {
    INFO(sql.substr(0, 60));
    REQUIRE(parse_error(sql).message() == "expression nested too deeply (limit 200)");
  }
  // A flat chain makes a deep tree too, so it is bounded the same way.
  std::string chain = "x";
  for (int i = 0; i < 150; ++i) chain += " + x";
  REQUIRE(parse_select("SELECT " + chain + " FROM t").items.size() == 1);
  for (int i = 0; i < 100; ++i) chain += " + x";
  REQUIRE(parse_error("SELECT " + chain + " FROM t").message() ==
          "expression nested too deeply (limit 200)");
}

TEST_CASE("parser: a 5000-item select list and a 5000-key GROUP BY") {
  std::string items;
  std::string keys;
  for (int i = 0; i < 5000; ++i) {
    if (i > 0) {
      items += ", ";
      keys += ", ";
    }
    items += "c" + std::to_string(i) + " * 2 AS a" + std::to_string(i);
    keys += "c" + std::to_string(i);
  }
  SelectStatement s = parse_select("SELECT " + items + " FROM wide GROUP BY " + keys);
  REQUIRE(s.items.size() == 5000);
  REQUIRE(s.items[4999].alias == "a4999");
  REQUIRE(tree(*s.items[4999].expr) == "(* c4999 2)");
  REQUIRE(s.group_by.size() == 5000);
  require_column(s.group_by[1234], "c1234");
}

TEST_CASE("parser: arbitrary bytes give an SqlError or a statement, never anything else") {
  // Deterministic pseudo-random inputs: raw bytes, SQL-ish fragments, and the seed queries with
  // bytes deleted, duplicated or replaced.
  uint64_t state = 0x9e3779b97f4a7c15ULL;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  const char* fragments[] = {
      "SELECT", "FROM",     "WHERE",    " ",  "(",  ")",   ",",    "'",    "\"",
      "--",     "\n",       "*",        "-",  "1",  "1e",  ".5",   "OVER", "ROWS",
      "WINDOW", "TUMBLING", "GROUP BY", "x",  "IS", "NOT", "NULL", "EMIT", "INTERVAL",
      "1m",     "\0",       "\xff",     "/*", ";",  "=",   "<>",   "AND",  "OR"};
  const std::string seeds[] = {kMovingAverage, kTraderGroupBy,
                               std::string(kTraderGroupBy) +
                                   " WINDOW TUMBLING (trade_time, INTERVAL '1' MINUTE) EMIT "
                                   "CHANGES"};
  int parsed = 0;
  int rejected = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string sql;
    switch (round % 3) {
      case 0:
        for (int i = 0, n = static_cast<int>(next() % 64); i < n; ++i) {
          sql.push_back(static_cast<char>(next() & 0xff));
        }
        break;
      case 1:
        sql = "SELECT ";
        for (int i = 0, n = static_cast<int>(next() % 24); i < n; ++i) {
          const char* f = fragments[next() % std::size(fragments)];
          sql += *f ? std::string(f) : std::string(1, '\0');
          sql += ' ';
        }
        break;
      default:
        sql = seeds[next() % std::size(seeds)];
        for (int i = 0, n = 1 + static_cast<int>(next() % 4); i < n; ++i) {
          size_t at = next() % sql.size();
          switch (next() % 3) {
            case 0:
              sql.erase(at, 1 + next() % 8);
              break;
            case 1:
              sql.insert(at, sql.substr(next() % sql.size(), next() % 12));
              break;
            default:
              sql[at] = static_cast<char>(next() & 0xff);
              break;
          }
          if (sql.empty()) sql = "x";
        }
    }
    try {
      SelectStatement s = parse_select(sql);
      for (const SelectItem& item : s.items) {
        if (item.expr) (void)item.expr->to_sql();
      }
      ++parsed;
    } catch (const SqlError& e) {
      REQUIRE(e.pos().line >= 1);
      REQUIRE(e.pos().column >= 1);
      REQUIRE_FALSE(e.message().empty());
      ++rejected;
    }
  }
  REQUIRE(parsed + rejected == 3000);
  REQUIRE(parsed > 0);  // the mutations leave some queries valid
  REQUIRE(rejected > 0);
}

TEST_CASE("parser: the fuzz seed corpus parses as its file names say") {
  // seed_*.sql and ok_*.sql must parse; err_*.sql must fail with an SqlError.
  const std::filesystem::path dir =
      std::filesystem::path(STREAMGAUGE_SOURCE_DIR) / "tests/engine/fuzz_corpus/sql";
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".sql") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    INFO(name);
    if (name.rfind("err_", 0) == 0) {
      CHECK_THROWS_AS(parse_select(text.str()), SqlError);
    } else {
      REQUIRE((name.rfind("seed_", 0) == 0 || name.rfind("ok_", 0) == 0));
      CHECK_NOTHROW(parse_select(text.str()));
    }
    ++files;
  }
  REQUIRE(files >= 50);
}
