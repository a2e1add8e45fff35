#include <catch2/catch.hpp>

#include "query_test_util.h"

using namespace sg;
using namespace sg::test;
using Rows = std::vector<std::string>;

namespace {
const Schema kMarket = Schema::parse(
    "symbol:string,price:float,quantity:integer,trader_id:string,trade_time:timestamp");
const Schema kStream = Schema::parse("category:string,amount:float");
const Schema kTest = Schema::parse("id:integer,value:integer");

const char* kScenario2 =
    "SELECT trader_id, symbol, COUNT(*) as trade_count, AVG(price) as avg_price, SUM(quantity) "
    "as total_quantity, SUM(price * quantity) as total_value FROM market_data GROUP BY "
    "trader_id, symbol";

std::vector<RecordPtr> trades() {
  return {row({S("SYM0"), F(10.0), I(5), S("T0"), T(0)}, 0, 0),
          row({S("SYM1"), F(20.0), I(1), S("T0"), T(10)}, 10, 1),
          row({S("SYM0"), F(30.0), I(2), S("T0"), T(20)}, 20, 2),
          row({S("SYM0"), F(5.0), I(3), S("T1"), T(30)}, 30, 3)};
}

// (a, 1), (a, NULL), (b, NULL), (NULL, 2), (NULL, 4), (a, 3)
std::vector<RecordPtr> categories() {
  return {row({S("a"), F(1.0)}, 0, 0), row({S("a"), N()}, 0, 1), row({S("b"), N()}, 0, 2),
          row({N(), F(2.0)}, 0, 3),    row({N(), F(4.0)}, 0, 4), row({S("a"), F(3.0)}, 0, 5)};
}
}  // namespace

TEST_CASE("hash aggregate: a continuous GROUP BY emits the changed group's row per input") {
  const QueryRun run = run_query(kScenario2, kMarket, trades());
  REQUIRE(run.rows() ==
          Rows{"T0|SYM0|1|10|5|50", "T0|SYM1|1|20|1|20", "T0|SYM0|2|20|7|110", "T1|SYM0|1|5|3|15"});
  REQUIRE(run.before_finish == 4);  // nothing held back for finish()
  // Output metadata: the input's offset and event time, the group's key hash.
  REQUIRE(run.out[2]->offset() == 2);
  REQUIRE(run.out[2]->event_time() == 20);
  REQUIRE(run.out[0]->key_hash() == run.out[2]->key_hash());
  REQUIRE(run.out[0]->key_hash() != run.out[1]->key_hash());
  REQUIRE(run.out[0]->key_hash() == run.query->partition_hash(*trades()[0]));
  REQUIRE(run.query->partitioning() == Partitioning::ByKey);
}

TEST_CASE("hash aggregate: EMIT FINAL emits each group once at finish, in first-seen order") {
  const QueryRun run = run_query(std::string(kScenario2) + " EMIT FINAL", kMarket, trades());
  REQUIRE(run.before_finish == 0);
  REQUIRE(run.rows() == Rows{"T0|SYM0|2|20|7|110", "T0|SYM1|1|20|1|20", "T1|SYM0|1|5|3|15"});
  REQUIRE(run.out[0]->offset() == 2);  // the group's latest input
  const Schema& out = run.query->output_schema();
  REQUIRE(out.to_string() ==
          "trader_id:STRING,symbol:STRING,trade_count:INTEGER,avg_price:FLOAT,"
          "total_quantity:INTEGER,total_value:FLOAT");
}

TEST_CASE("hash aggregate: aggregates ignore NULLs and NULL keys form one group") {
  const auto rows = run_rows(
      "SELECT category, COUNT(*), COUNT(amount), SUM(amount), AVG(amount), MIN(amount), "
      "MAX(amount) FROM s GROUP BY category EMIT FINAL",
      kStream, categories());
  REQUIRE(rows == Rows{"a|3|2|4|2|1|3", "b|1|0|NULL|NULL|NULL|NULL", "NULL|2|2|6|3|2|4"});
}

TEST_CASE("hash aggregate: HAVING filters groups, continuously and at finish") {
  const char* sql = "SELECT category, COUNT(*) AS n FROM s GROUP BY category HAVING COUNT(*) > 1";
  REQUIRE(run_rows(sql, kStream, categories()) == Rows{"a|2", "NULL|2", "a|3"});
  REQUIRE(run_rows(std::string(sql) + " EMIT FINAL", kStream, categories()) ==
          Rows{"a|3", "NULL|2"});
  // HAVING on an aggregate that is not in the SELECT list.
  REQUIRE(run_rows("SELECT category FROM s GROUP BY category HAVING MAX(amount) >= 3 EMIT FINAL",
                   kStream, categories()) == Rows{"a", "NULL"});
}

TEST_CASE(
    "hash aggregate: without GROUP BY there is one group, EMIT FINAL answers even for "
    "an empty stream") {
  REQUIRE(run_rows("SELECT COUNT(*), SUM(amount) FROM s EMIT FINAL", kStream, {}) ==
          Rows{"0|NULL"});
  REQUIRE(run_rows("SELECT COUNT(*), SUM(amount) FROM s", kStream, {}).empty());
  REQUIRE(run_rows("SELECT COUNT(*) AS n, SUM(amount) FROM s", kStream, categories()).back() ==
          "6|10");
  const auto q = CompiledQuery::compile("SELECT COUNT(*) FROM s", kStream);
  REQUIRE(q->partitioning() == Partitioning::Single);
}

TEST_CASE("hash aggregate: empty input with GROUP BY emits nothing") {
  REQUIRE(run_rows(std::string(kScenario2) + " EMIT FINAL", kMarket, {}).empty());
  REQUIRE(run_rows(kScenario2, kMarket, {}).empty());
}

TEST_CASE(
    "hash aggregate: GROUP BY an expression, SUM of integers stays INTEGER, MIN/MAX of "
    "strings") {
  std::vector<RecordPtr> in;
  for (int i = 0; i < 10; ++i) in.push_back(row({I(i), I(i * 7 % 10)}));
  // values: 0 7 4 1 8 5 2 9 6 3; buckets by value % 3: 0,1,1,1,2,2,2,0,0,0
  REQUIRE(run_rows("SELECT value % 3 AS bucket, COUNT(*), SUM(value), MIN(id) FROM test GROUP "
                   "BY value % 3 EMIT FINAL",
                   kTest, in) == Rows{"0|4|18|0", "1|3|12|1", "2|3|15|4"});
  REQUIRE(run_rows("SELECT MIN(category), MAX(category) FROM s EMIT FINAL", kStream,
                   categories()) == Rows{"a|b"});
  // The key expression may be used inside a larger expression of the SELECT list.
  REQUIRE(run_rows("SELECT (value % 3) * 10 + 1 AS k FROM test GROUP BY value % 3 EMIT FINAL",
                   kTest, in) == Rows{"1", "11", "21"});
}

TEST_CASE("hash aggregate: over 100,000 groups, each found again") {
  std::vector<RecordPtr> in;
  const int kGroups = 120'000;
  for (int pass = 0; pass < 2; ++pass) {
    for (int k = 0; k < kGroups; ++k) in.push_back(row({I(k), I(pass + 1)}));
  }
  const QueryRun run =
      run_query("SELECT id, COUNT(*) AS n, SUM(value) AS s FROM test GROUP BY id EMIT FINAL", kTest,
                in, true);
  REQUIRE(run.out.size() == kGroups);
  for (int k = 0; k < kGroups; k += 997) {
    REQUIRE(row_text(*run.out[k]) == std::to_string(k) + "|2|3");
  }
  REQUIRE(row_text(*run.out.back()) == std::to_string(kGroups - 1) + "|2|3");
}

TEST_CASE("hash aggregate: string keys with shared prefixes and lengths over 8 bytes") {
  std::vector<RecordPtr> in;
  for (int i = 0; i < 2000; ++i) {
    in.push_back(row({S("category-with-a-long-prefix-" + std::to_string(i % 500)), F(1.0)}));
  }
  const auto rows =
      run_rows("SELECT category, COUNT(*) FROM s GROUP BY category EMIT FINAL", kStream, in);
  REQUIRE(rows.size() == 500);
  REQUIRE(rows[499] == "category-with-a-long-prefix-499|4");
}

TEST_CASE("hash aggregate: WHERE runs before grouping") {
  REQUIRE(run_rows("SELECT category, COUNT(*) FROM s WHERE amount > 1 GROUP BY category EMIT "
                   "FINAL",
                   kStream, categories()) == Rows{"NULL|2", "a|1"});
}

// The updater's fused paths (aggregate_state.h) take the type the planner expects inline and
// hand anything else to the general agg_add(): the results must not depend on which path ran.
TEST_CASE("hash aggregate: integers and NULLs in a FLOAT column give the general path's results") {
  const auto rows = run_rows(
      "SELECT category, COUNT(amount), SUM(amount), AVG(amount), MIN(amount), MAX(amount) "
      "FROM test_stream GROUP BY category EMIT FINAL",
      kStream,
      {row({S("a"), F(2.5)}), row({S("a"), I(1)}), row({S("a"), N()}), row({S("a"), F(4.0)}),
       row({S("a"), I(7)}), row({S("b"), F(-1.5)}), row({S("b"), F(-3.0)})});
  // MIN/MAX keep the input value itself, INTEGER or FLOAT, as compare() orders them.
  REQUIRE(rows == Rows{"a|4|14.5|3.625|1|7", "b|2|-4.5|-2.25|-3|-1.5"});
}

TEST_CASE("hash aggregate: SUM of a product over mixed and NULL operands") {
  const auto rows = run_rows(
      "SELECT trader_id, SUM(price * quantity), AVG(price * quantity) FROM market_data "
      "GROUP BY trader_id EMIT FINAL",
      kMarket,
      {row({S("SYM0"), I(2), I(3), S("T0"), T(0)}),         // INTEGER * INTEGER = 6
       row({S("SYM0"), F(1.5), I(2), S("T0"), T(0)}),       // FLOAT * INTEGER = 3.0
       row({S("SYM0"), F(2.0), N(), S("T0"), T(0)}),        // NULL: ignored
       row({S("SYM0"), N(), I(4), S("T0"), T(0)}),          // NULL: ignored
       row({S("SYM0"), F(0.5), F(0.5), S("T0"), T(0)})});   // FLOAT * FLOAT = 0.25
  REQUIRE(rows == Rows{"T0|9.25|3.0833333333333335"});
}

// EMIT FINAL applies a batch's updates aggregate by aggregate (update_many): any batch size must
// give exactly the rows of one record at a time.
TEST_CASE("hash aggregate EMIT FINAL: batches of any size emit what single records emit") {
  std::vector<RecordPtr> in;
  uint64_t x = 777;
  for (int64_t i = 0; i < 2000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const Value amount = (x >> 40) % 9 == 0   ? N()
                         : (x >> 40) % 9 == 1 ? I(static_cast<int64_t>(x >> 50) % 50)
                                              : F(static_cast<double>((x >> 44) % 1000) / 8);
    in.push_back(row({S("cat" + std::to_string((x >> 24) % 17)), amount}, i, i));
  }
  const std::string sql =
      "SELECT category, COUNT(*) AS n, SUM(amount) AS total, AVG(amount) AS mean, MIN(amount) AS "
      "lo, MAX(amount) AS hi, SUM(amount * amount) AS squares FROM test_stream WHERE amount IS "
      "NULL OR amount > 3 GROUP BY category EMIT FINAL";
  const auto one_by_one = run_in_batches(sql, kStream, in, 1);
  REQUIRE(one_by_one.size() == 17);
  for (size_t batch : {2, 64, 1000, 2000}) {
    INFO("batch size " << batch);
    REQUIRE(run_in_batches(sql, kStream, in, batch) == one_by_one);
  }
}

TEST_CASE("hash aggregate: GROUP BY keys alone, with no aggregate, emits each key row") {
  // No aggregate means no aggregate states: the direct output path must not touch them (the
  // fuzzer's UBSan build caught it forming a reference into the null state array).
  const char* sql = "SELECT trader_id AS t, symbol FROM market_data GROUP BY trader_id, symbol";
  REQUIRE(run_query(sql, kMarket, trades()).rows() ==
          Rows{"T0|SYM0", "T0|SYM1", "T0|SYM0", "T1|SYM0"});
  REQUIRE(run_query(std::string(sql) + " EMIT FINAL", kMarket, trades()).rows() ==
          Rows{"T0|SYM0", "T0|SYM1", "T1|SYM0"});
}
