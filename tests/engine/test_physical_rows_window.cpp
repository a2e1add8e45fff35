#include <catch2/catch.hpp>

#include "query_test_util.h"

using namespace sg;
using namespace sg::test;
using Rows = std::vector<std::string>;

namespace {
const Schema kSchema = Schema::parse("symbol:string,price:float,ts:timestamp");

std::vector<RecordPtr> prices(const std::vector<double>& ps, const char* symbol = "A") {
  std::vector<RecordPtr> out;
  for (size_t i = 0; i < ps.size(); ++i) {
    out.push_back(
        row({S(symbol), F(ps[i]), T(static_cast<int64_t>(i))}, 0, static_cast<int64_t>(i)));
  }
  return out;
}

std::string over(int n) {
  return " OVER (ROWS WINDOW BUFFER " + std::to_string(n) + " ROWS)";
}
}  // namespace

TEST_CASE("rows window: frames shorter than n at the start, then sliding") {
  const std::string sql = "SELECT price, SUM(price)" + over(3) + ", AVG(price)" + over(3) +
                          ", MIN(price)" + over(3) + ", MAX(price)" + over(3) + ", COUNT(*)" +
                          over(3) + " FROM s";
  REQUIRE(run_rows(sql, kSchema, prices({1, 2, 3, 4, 5})) ==
          Rows{"1|1|1|1|1|1", "2|3|1.5|1|2|2", "3|6|2|1|3|3", "4|9|3|2|4|3", "5|12|4|3|5|3"});
}

TEST_CASE("rows window: MIN/MAX evict the extreme when it leaves the frame") {
  const std::string sql =
      "SELECT MIN(price)" + over(3) + " AS lo, MAX(price)" + over(3) + " AS hi FROM s";
  REQUIRE(run_rows(sql, kSchema, prices({5, 4, 3, 2, 1, 6, 6, 0})) ==
          Rows{"5|5", "4|5", "3|5", "2|4", "1|3", "1|6", "1|6", "0|6"});
  // A frame of one row is the row itself.
  REQUIRE(run_rows("SELECT MAX(price)" + over(1) + " FROM s", kSchema, prices({3, 1, 2})) ==
          Rows{"3", "1", "2"});
}

TEST_CASE("rows window: NULL arguments are ignored, a frame of only NULLs gives NULL") {
  std::vector<RecordPtr> in = {row({S("A"), F(1), T(0)}), row({S("A"), N(), T(1)}),
                               row({S("A"), N(), T(2)}), row({S("A"), N(), T(3)}),
                               row({S("A"), F(2), T(4)})};
  const std::string sql = "SELECT SUM(price)" + over(2) + ", COUNT(price)" + over(2) +
                          ", COUNT(*)" + over(2) + ", MIN(price)" + over(2) + ", AVG(price)" +
                          over(2) + " FROM s";
  REQUIRE(run_rows(sql, kSchema, in) ==
          Rows{"1|1|1|1|1", "1|1|2|1|1", "NULL|0|2|NULL|NULL", "NULL|0|2|NULL|NULL", "2|1|2|2|2"});
}

TEST_CASE("rows window: PARTITION BY keeps a frame per key, key_hash names the partition") {
  std::vector<RecordPtr> in;
  const std::vector<std::pair<const char*, double>> data = {{"A", 1}, {"B", 10}, {"A", 2},
                                                            {"A", 3}, {"B", 20}, {"A", 4}};
  for (size_t i = 0; i < data.size(); ++i) {
    in.push_back(row({S(data[i].first), F(data[i].second), T(static_cast<int64_t>(i))}));
  }
  const QueryRun run = run_query(
      "SELECT symbol, SUM(price) OVER (ROWS WINDOW BUFFER 2 ROWS PARTITION BY symbol ORDER BY "
      "ts) AS s FROM s",
      kSchema, in);
  REQUIRE(run.rows() == Rows{"A|1", "B|10", "A|3", "A|5", "B|30", "A|7"});
  REQUIRE(run.out[0]->key_hash() == run.out[2]->key_hash());
  REQUIRE(run.out[0]->key_hash() != run.out[1]->key_hash());
  REQUIRE(run.out[1]->key_hash() == run.query->partition_hash(*in[1]));
  REQUIRE(run.query->partitioning() == Partitioning::ByKey);
}

TEST_CASE("rows window: the seed's scenario 1 query, functions of one OVER share a state") {
  const char* sql =
      "SELECT symbol, price, AVG(price) OVER (ROWS WINDOW BUFFER 100 ROWS PARTITION BY symbol "
      "ORDER BY timestamp) as moving_avg, MIN(price) OVER (ROWS WINDOW BUFFER 100 ROWS PARTITION "
      "BY symbol ORDER BY timestamp) as min_price, MAX(price) OVER (ROWS WINDOW BUFFER 100 ROWS "
      "PARTITION BY symbol ORDER BY timestamp) as max_price FROM market_data";
  const Schema market = Schema::parse("symbol:string,price:float,timestamp:timestamp");
  std::vector<RecordPtr> in;
  for (int i = 0; i < 250; ++i) {
    in.push_back(row({S(i % 2 ? "SYM1" : "SYM0"), F(i), T(i * 10)}));
  }
  const QueryRun run = run_query(sql, market, in);
  REQUIRE(run.out.size() == 250);
  // Row 248 (SYM0): the frame is SYM0's last 100 prices: 50, 52, ..., 248.
  REQUIRE(row_text(*run.out[248]) == "SYM0|248|149|50|248");
  REQUIRE(row_text(*run.out[1]) == "SYM1|1|1|1|1");
  const std::string plan = run.query->explain();
  REQUIRE(plan.find("RowsWindow 100 rows partition by (symbol)") != std::string::npos);
  REQUIRE(plan.find("RowsWindow", plan.find("RowsWindow") + 1) == std::string::npos);
}

TEST_CASE("rows window: expressions over window functions, two specs, WHERE first") {
  const std::string sql = "SELECT price - AVG(price)" + over(2) + " AS d, SUM(price) OVER (ROWS " +
                          "BETWEEN 2 PRECEDING AND CURRENT ROW) AS s3 FROM s WHERE price > 0";
  const QueryRun run = run_query(sql, kSchema, prices({1, -5, 3, 5, 7}));
  REQUIRE(run.rows() == Rows{"0|1", "1|4", "1|9", "1|15"});
  REQUIRE(run.query->partitioning() == Partitioning::Single);
  REQUIRE(run.stats.records_in == 5);
}

TEST_CASE("rows window: integer SUM stays INTEGER, AVG of integers is FLOAT, empty input") {
  const Schema ints = Schema::parse("k:integer,v:integer");
  std::vector<RecordPtr> in = {row({I(1), I(3)}), row({I(1), I(4)}), row({I(1), I(-2)})};
  const QueryRun run = run_query(
      "SELECT SUM(v) OVER (PARTITION BY k ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s, "
      "AVG(v) OVER (PARTITION BY k ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS a FROM t",
      ints, in);
  REQUIRE(run.rows() == Rows{"3|3", "7|3.5", "2|1"});
  REQUIRE(run.query->output_schema().to_string() == "s:INTEGER,a:FLOAT");
  REQUIRE(run_rows("SELECT SUM(v)" + over(3) + " FROM t", ints, {}).empty());
}

TEST_CASE("rows window: many partitions, long streams stay exact for integers") {
  const Schema ints = Schema::parse("k:integer,v:integer");
  std::vector<RecordPtr> in;
  for (int i = 0; i < 20000; ++i) in.push_back(row({I(i % 1000), I(i)}));
  const QueryRun run = run_query(
      "SELECT k, SUM(v) OVER (ROWS WINDOW BUFFER 5 ROWS PARTITION BY k) AS s, MIN(v) OVER (ROWS "
      "WINDOW BUFFER 5 ROWS PARTITION BY k) AS lo FROM t",
      ints, in, true);
  REQUIRE(run.out.size() == 20000);
  // The last row: k = 999, its frame holds 19999, 18999, 17999, 16999, 15999.
  REQUIRE(row_text(*run.out.back()) == "999|89995|15999");
}
