#include <catch2/catch.hpp>

#include <algorithm>

#include "query_test_util.h"

using namespace sg;
using namespace sg::test;
using Rows = std::vector<std::string>;

namespace {
const Schema kMarket = Schema::parse(
    "symbol:string,price:float,quantity:integer,trader_id:string,trade_time:timestamp");

// Compiles `sql`, expecting a SqlError; returns "line:column: message".
std::string compile_error(const std::string& sql, const Schema& schema = kMarket) {
  try {
    CompiledQuery::compile(sql, schema);
  } catch (const SqlError& e) {
    return e.what();
  }
  FAIL("compiled without error: " << sql);
  return "";
}
}  // namespace

TEST_CASE("planner: the seed queries compile exactly as written") {
  const Schema orders =
      Schema::parse("order_id:integer,customer_id:integer,order_date:timestamp,total_amount:float");
  const Schema market = Schema::parse(
      "symbol:string,price:float,quantity:integer,trader_id:string,timestamp:timestamp,"
      "trade_time:timestamp");
  const Schema stream = Schema::parse("category:string,amount:float");
  const Schema test = Schema::parse("id:integer,value:integer");
  const std::string scenario2 =
      "SELECT trader_id, symbol, COUNT(*) as trade_count, AVG(price) as avg_price, SUM(quantity) "
      "as total_quantity, SUM(price * quantity) as total_value FROM market_data GROUP BY "
      "trader_id, symbol";
  const std::string five =
      "SELECT category, COUNT(*) as cnt, SUM(amount) as total, AVG(amount) as avg_amt, "
      "MIN(amount) as min_amt, MAX(amount) as max_amt FROM test_stream GROUP BY category";
  CompiledQuery::compile(
      "SELECT order_id, customer_id, order_date, total_amount FROM orders WHERE total_amount > "
      "100",
      orders);
  CompiledQuery::compile(
      "SELECT symbol, price, AVG(price) OVER (ROWS WINDOW BUFFER 100 ROWS PARTITION BY symbol "
      "ORDER BY timestamp) as moving_avg, MIN(price) OVER (ROWS WINDOW BUFFER 100 ROWS PARTITION "
      "BY symbol ORDER BY timestamp) as min_price, MAX(price) OVER (ROWS WINDOW BUFFER 100 ROWS "
      "PARTITION BY symbol ORDER BY timestamp) as max_price FROM market_data",
      market);
  CompiledQuery::compile(scenario2, market);
  CompiledQuery::compile(scenario2 + " WINDOW TUMBLING (trade_time, INTERVAL '1' MINUTE)", market);
  CompiledQuery::compile(
      scenario2 + " WINDOW TUMBLING (trade_time, INTERVAL '1' MINUTE) EMIT CHANGES", market);
  CompiledQuery::compile(five, stream);
  CompiledQuery::compile(five + " EMIT FINAL", stream);
  CompiledQuery::compile("SELECT id, value FROM test WHERE value > 50", test);
}

TEST_CASE("planner: unknown columns name the columns that exist, with the position") {
  REQUIRE(compile_error("SELECT pricee FROM market_data") ==
          "1:8: unknown column 'pricee'; columns are: symbol, price, quantity, trader_id, "
          "trade_time");
  REQUIRE(compile_error("SELECT symbol\nFROM m\nWHERE nope > 1")
              .rfind("3:7: unknown column 'nope'", 0) == 0);
  REQUIRE(
      compile_error("SELECT COUNT(*) FROM m GROUP BY sym").rfind("1:33: unknown column 'sym'", 0) ==
      0);
  REQUIRE(compile_error("SELECT COUNT(*) FROM m GROUP BY symbol WINDOW TUMBLING (tt, INTERVAL "
                        "'1' MINUTE)")
              .find("unknown column 'tt'") != std::string::npos);
}

TEST_CASE("planner: functions and their arguments") {
  REQUIRE(compile_error("SELECT MEDIAN(price) FROM m") ==
          "1:8: unknown function 'MEDIAN'; functions are COUNT, SUM, AVG, MIN and MAX");
  REQUIRE(compile_error("SELECT SUM(price, quantity) FROM m") ==
          "1:8: SUM takes exactly 1 argument, got 2");
  // The parser already rejects SUM(*).
  REQUIRE(compile_error("SELECT SUM(*) FROM m").find("only allowed in COUNT(*)") !=
          std::string::npos);
  REQUIRE(compile_error("SELECT SUM(COUNT(*)) FROM m") ==
          "1:12: aggregate function COUNT cannot be nested inside another aggregate");
}

TEST_CASE("planner: aggregates, GROUP BY and window functions must fit together") {
  REQUIRE(compile_error("SELECT symbol FROM m WHERE COUNT(*) > 1") ==
          "1:28: aggregate function COUNT is not allowed in WHERE (filter groups with HAVING)");
  REQUIRE(compile_error("SELECT symbol, price, COUNT(*) FROM m GROUP BY symbol") ==
          "1:16: column 'price' must appear in GROUP BY or be used in an aggregate function");
  REQUIRE(compile_error("SELECT price, COUNT(*) FROM m") ==
          "1:8: column 'price' must appear in GROUP BY or be used in an aggregate function");
  REQUIRE(compile_error("SELECT symbol FROM m GROUP BY symbol HAVING price > 1") ==
          "1:45: column 'price' must appear in GROUP BY or be used in an aggregate function");
  REQUIRE(compile_error("SELECT symbol, AVG(price) OVER (ROWS WINDOW BUFFER 5 ROWS) FROM m GROUP "
                        "BY symbol") ==
          "1:16: window function AVG cannot be combined with GROUP BY or aggregate functions");
  REQUIRE(compile_error("SELECT COUNT(*), AVG(price) OVER (ROWS WINDOW BUFFER 5 ROWS) FROM m")
              .find("cannot be combined with GROUP BY") != std::string::npos);
  REQUIRE(compile_error("SELECT symbol FROM m WHERE AVG(price) OVER (ROWS WINDOW BUFFER 5 ROWS) "
                        "> 1") == "1:28: window function AVG is not allowed in WHERE");
  REQUIRE(compile_error("SELECT * FROM m GROUP BY symbol") ==
          "1:8: SELECT * cannot be used with GROUP BY or aggregate functions");
  REQUIRE(compile_error("SELECT symbol FROM m HAVING price > 1") ==
          "1:35: HAVING needs GROUP BY or an aggregate function");
  REQUIRE(compile_error("SELECT symbol FROM m GROUP BY COUNT(*)")
              .find("aggregate function COUNT is not allowed in GROUP BY") != std::string::npos);
  REQUIRE(compile_error("SELECT symbol FROM m WINDOW TUMBLING (trade_time, INTERVAL '1' MINUTE)")
              .find("WINDOW TUMBLING needs GROUP BY or an aggregate") != std::string::npos);
}

TEST_CASE("planner: type errors") {
  REQUIRE(compile_error("SELECT SUM(symbol) FROM m") ==
          "1:12: SUM needs a number (INTEGER or FLOAT), got STRING (SUM(symbol))");
  REQUIRE(compile_error("SELECT AVG(trade_time) FROM m")
              .find("AVG needs a number (INTEGER or FLOAT), got TIMESTAMP") != std::string::npos);
  REQUIRE(compile_error("SELECT 'a' + 1 FROM m") ==
          "1:12: operator '+' needs numbers, got STRING and INTEGER ('a' + 1)");
  REQUIRE(compile_error("SELECT symbol FROM m WHERE symbol > 5") ==
          "1:35: cannot compare STRING with INTEGER (symbol > 5)");
  REQUIRE(compile_error("SELECT symbol FROM m WHERE price") ==
          "1:28: WHERE needs a BOOLEAN condition, got FLOAT (price)");
  REQUIRE(compile_error("SELECT symbol FROM m WHERE price > 1 AND quantity")
              .find("AND needs BOOLEAN operands, got BOOLEAN and INTEGER") != std::string::npos);
  REQUIRE(compile_error("SELECT NOT price FROM m").find("NOT needs a BOOLEAN operand, got FLOAT") !=
          std::string::npos);
  REQUIRE(compile_error("SELECT -symbol FROM m").find("unary '-' needs a number, got STRING") !=
          std::string::npos);
  REQUIRE(compile_error("SELECT COUNT(*) FROM m GROUP BY symbol WINDOW TUMBLING (price, INTERVAL "
                        "'1' MINUTE)")
              .find("time column 'price' must be TIMESTAMP or INTEGER") != std::string::npos);
  // MIN/MAX take any comparable type; COUNT takes anything.
  CompiledQuery::compile("SELECT MIN(symbol), MAX(trade_time), COUNT(symbol) FROM m", kMarket);
}

TEST_CASE("planner: syntax errors come from the parser with their position") {
  const std::string e = compile_error("SELECT symbol FORM m");
  REQUIRE(e.rfind("1:15:", 0) == 0);
}

TEST_CASE("planner: the FROM name is the stream's name, never checked") {
  const auto q = CompiledQuery::compile("SELECT symbol FROM anything_at_all", kMarket);
  REQUIRE(q->source_name() == "anything_at_all");
}

TEST_CASE("planner: partitioning follows the query's state") {
  REQUIRE(CompiledQuery::compile("SELECT symbol FROM m WHERE price > 1", kMarket)->partitioning() ==
          Partitioning::Any);
  REQUIRE(CompiledQuery::compile("SELECT symbol, COUNT(*) FROM m GROUP BY symbol", kMarket)
              ->partitioning() == Partitioning::ByKey);
  REQUIRE(
      CompiledQuery::compile("SELECT SUM(price) OVER (ROWS WINDOW BUFFER 3 ROWS) FROM m", kMarket)
          ->partitioning() == Partitioning::Single);
  REQUIRE(CompiledQuery::compile(
              "SELECT SUM(price) OVER (ROWS WINDOW BUFFER 3 ROWS PARTITION BY symbol), "
              "MIN(price) OVER (ROWS WINDOW BUFFER 9 ROWS PARTITION BY symbol) FROM m",
              kMarket)
              ->partitioning() == Partitioning::ByKey);
  REQUIRE(CompiledQuery::compile(
              "SELECT SUM(price) OVER (ROWS WINDOW BUFFER 3 ROWS PARTITION BY symbol), "
              "MIN(price) OVER (ROWS WINDOW BUFFER 3 ROWS PARTITION BY trader_id) FROM m",
              kMarket)
              ->partitioning() == Partitioning::Single);
  // A tumbling window partitions by its GROUP BY key, without the window.
  const auto tumbling = CompiledQuery::compile(
      "SELECT symbol, COUNT(*) FROM m GROUP BY symbol WINDOW TUMBLING (trade_time, INTERVAL '1' "
      "MINUTE)",
      kMarket);
  REQUIRE(tumbling->partitioning() == Partitioning::ByKey);
  const RecordPtr a = row({S("X"), F(1), I(1), S("T"), T(0)});
  const RecordPtr b = row({S("X"), F(2), I(5), S("U"), T(999999)});
  REQUIRE(tumbling->partition_hash(*a) == tumbling->partition_hash(*b));
}

TEST_CASE("planner: N instances on a key-partitioned split give one instance's rows") {
  const std::vector<std::string> queries = {
      "SELECT trader_id, symbol, COUNT(*), SUM(quantity), MAX(price) FROM m GROUP BY trader_id, "
      "symbol",
      "SELECT trader_id, COUNT(*), AVG(price) FROM m GROUP BY trader_id EMIT FINAL",
      "SELECT symbol, SUM(quantity) FROM m GROUP BY symbol WINDOW TUMBLING (trade_time, "
      "INTERVAL '1' SECOND)",
      "SELECT symbol, AVG(price) OVER (ROWS WINDOW BUFFER 4 ROWS PARTITION BY symbol) FROM m",
      "SELECT symbol, price FROM m WHERE quantity > 3"};
  std::vector<RecordPtr> in;
  for (int i = 0; i < 3000; ++i) {
    in.push_back(row({S("S" + std::to_string(i * 7 % 13)), F(i % 17), I(i % 9),
                      S("T" + std::to_string(i % 5)), T(i * 50)},
                     i * 50, i));
  }
  for (const std::string& sql : queries) {
    INFO(sql);
    const auto q = CompiledQuery::compile(sql, kMarket);
    Rows whole = run_query(sql, kMarket, in).rows();
    const size_t n = 3;
    std::vector<std::unique_ptr<Engine>> engines;
    for (size_t p = 0; p < n; ++p) engines.push_back(q->instantiate());
    Batch out;
    for (size_t i = 0; i < in.size(); ++i) {
      const size_t p =
          q->partitioning() == Partitioning::ByKey ? q->partition_hash(*in[i]) % n : i % n;
      engines[p]->process(in[i], out);
    }
    for (auto& e : engines) e->finish(out);
    Rows split = texts(out);
    std::sort(whole.begin(), whole.end());
    std::sort(split.begin(), split.end());
    REQUIRE(split == whole);
  }
}

TEST_CASE("planner: explain prints one operator per line") {
  const auto q = CompiledQuery::compile(
      "SELECT trader_id, COUNT(*) AS n, SUM(price * quantity) FROM m WHERE price > 1 GROUP BY "
      "trader_id HAVING COUNT(*) > 2 EMIT FINAL",
      kMarket);
  REQUIRE(q->explain() ==
          "Source m (symbol STRING, price FLOAT, quantity INTEGER, trader_id STRING, trade_time "
          "TIMESTAMP)\n"
          "Filter (price > 1) [column vs number]\n"
          "HashAggregate keys (trader_id) aggregates (COUNT(*), SUM(price * quantity)) emit "
          "final\n"
          "Having (COUNT(*) > 2)\n"
          "Project trader_id, COUNT(*) AS n, SUM(price * quantity)\n"
          "Partitioning by-key (trader_id)\n");
  const auto s = CompiledQuery::compile("SELECT * FROM m", kMarket);
  REQUIRE(s->explain().find("[passes input records through]") != std::string::npos);
  const auto t = CompiledQuery::compile(
      "SELECT COUNT(*) FROM m WINDOW TUMBLING (INTERVAL '1' MINUTE) ALLOWED LATENESS INTERVAL "
      "'2' SECOND EMIT CHANGES",
      kMarket);
  REQUIRE(t->explain().find("TumblingWindow size 60000 ms on event time lateness 2000 ms keys () "
                            "aggregates (COUNT(*)) emit changes") != std::string::npos);
}

TEST_CASE("planner: default output names and GROUP BY matching of expressions") {
  const auto q = CompiledQuery::compile(
      "SELECT quantity % 2, SUM(price), COUNT(*) c FROM m GROUP BY quantity % 2", kMarket);
  REQUIRE(q->output_schema().to_string() == "quantity % 2:INTEGER,SUM(price):FLOAT,c:INTEGER");
  // The same aggregate in SELECT and HAVING is computed once.
  const auto h = CompiledQuery::compile(
      "SELECT symbol, MAX(price) FROM m GROUP BY symbol HAVING MAX(price) > 3", kMarket);
  REQUIRE(h->explain().find("aggregates (MAX(price))") != std::string::npos);
}
