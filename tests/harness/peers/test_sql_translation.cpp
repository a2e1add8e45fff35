// Scenario SQL -> the standard SQL the batch peers run: every shipped scenario, exactly.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>

#include "engine/sql/parser.h"
#include "engine/sql/sql_error.h"
#include "harness/peers/sql_translation.h"
#include "harness/workload/generator.h"
#include "harness/workload/scenario.h"

using namespace sg;

namespace {

PeerTranslation translate_shipped(const std::string& name,
                                  PeerDialect dialect = PeerDialect::Sqlite,
                                  PeerMode mode = PeerMode::SameWork) {
  const auto dir = std::filesystem::path(STREAMGAUGE_SOURCE_DIR) / "scenarios";
  const Scenario s = load_scenario(dir / (name + ".toml"));
  return translate_for_peer(s.sql, Generator(s.generator).schema(), dialect, mode);
}

const std::string kMarketAggregates =
    "SELECT trader_id, symbol, COUNT(*) AS trade_count, AVG(price) AS avg_price, SUM(quantity) "
    "AS total_quantity, SUM(price * quantity) AS total_value FROM market_data GROUP BY "
    "trader_id, symbol";

// The same aggregates as window functions, before the window's PARTITION BY list.
const std::string kMarketRunning =
    "SELECT trader_id, symbol, COUNT(*) OVER sg_group AS trade_count, AVG(price) OVER sg_group AS "
    "avg_price, SUM(quantity) OVER sg_group AS total_quantity, SUM(price * quantity) OVER "
    "sg_group AS total_value FROM market_data WINDOW sg_group AS (PARTITION BY ";
const std::string kInArrivalOrder = " ORDER BY sg_seq ROWS UNBOUNDED PRECEDING) ORDER BY sg_seq";

}  // namespace

TEST_CASE("peer translation: every shipped scenario, exactly") {
  const auto dir = std::filesystem::path(STREAMGAUGE_SOURCE_DIR) / "scenarios";
  const std::map<std::string, std::string> expected = {
      {"filter_value_gt_50", "SELECT id, value FROM test WHERE value > 50"},
      {"group_by_5_aggs",
       "SELECT category, COUNT(*) AS cnt, SUM(amount) AS total, AVG(amount) AS avg_amt, "
       "MIN(amount) AS min_amt, MAX(amount) AS max_amt FROM test_stream GROUP BY category"},
      {"s0_pure_select",
       "SELECT order_id, customer_id, order_date, total_amount FROM orders WHERE total_amount > "
       "100"},
      {"s1_rows_window",
       "SELECT symbol, price, AVG(price) OVER (PARTITION BY symbol ORDER BY sg_seq ROWS BETWEEN "
       "99 PRECEDING AND CURRENT ROW) AS moving_avg, MIN(price) OVER (PARTITION BY symbol ORDER "
       "BY sg_seq ROWS BETWEEN 99 PRECEDING AND CURRENT ROW) AS min_price, MAX(price) OVER "
       "(PARTITION BY symbol ORDER BY sg_seq ROWS BETWEEN 99 PRECEDING AND CURRENT ROW) AS "
       "max_price FROM market_data"},
      {"s2_group_by", kMarketRunning + "trader_id, symbol" + kInArrivalOrder},
      {"s3a_tumbling", kMarketAggregates + ", trade_time - (trade_time % 60000)"},
      {"s3b_tumbling_emit_changes",
       kMarketRunning + "trader_id, symbol, trade_time - (trade_time % 60000)" + kInArrivalOrder},
      {"startup_small_results", "SELECT id, value, label FROM results"},
  };
  const std::vector<Scenario> shipped = load_scenarios(dir);
  REQUIRE(shipped.size() == expected.size());  // a new scenario needs its expected translation
  for (const Scenario& s : shipped) {
    INFO(s.name);
    REQUIRE(expected.count(s.name) == 1);
    const Schema schema = Generator(s.generator).schema();
    CHECK(translate_for_peer(s.sql, schema, PeerDialect::Sqlite).sql == expected.at(s.name));
    // No division in the shipped scenarios: DuckDB runs the same text.
    CHECK(translate_for_peer(s.sql, schema, PeerDialect::DuckDb).sql == expected.at(s.name));
  }
}

TEST_CASE("peer translation: what each shipped scenario is compared with") {
  for (const char* name :
       {"filter_value_gt_50", "s1_rows_window", "group_by_5_aggs", "s3a_tumbling"}) {
    INFO(name);
    const PeerTranslation t = translate_shipped(name);
    CHECK(t.comparison == PeerComparison::AllRows);
    CHECK_FALSE(t.continuous);
    // Their output is final already: the final-rows mode has nothing less to do.
    const PeerTranslation final_rows =
        translate_shipped(name, PeerDialect::Sqlite, PeerMode::FinalRows);
    CHECK(final_rows.unavailable.rfind("final-rows mode is for continuous outputs", 0) == 0);
  }

  const PeerTranslation continuous = translate_shipped("s2_group_by");
  CHECK(continuous.continuous);
  CHECK(continuous.comparison == PeerComparison::EveryRowInOrder);
  CHECK(continuous.unavailable.empty());
  CHECK(continuous.note == "continuous GROUP BY as window functions over the arrival order");
  const PeerTranslation changes = translate_shipped("s3b_tumbling_emit_changes");
  CHECK(changes.comparison == PeerComparison::EveryRowInOrder);
  CHECK(changes.tumbling);

  // Final-rows mode: the batch GROUP BY, compared with our last row per group (and window).
  const PeerTranslation final_group =
      translate_shipped("s2_group_by", PeerDialect::DuckDb, PeerMode::FinalRows);
  CHECK(final_group.sql == kMarketAggregates);
  CHECK(final_group.comparison == PeerComparison::FinalRowPerGroup);
  CHECK(final_group.note == "continuous GROUP BY: the batch peer computes each group's final row");
  const PeerTranslation final_windows =
      translate_shipped("s3b_tumbling_emit_changes", PeerDialect::Sqlite, PeerMode::FinalRows);
  CHECK(final_windows.sql == kMarketAggregates + ", trade_time - (trade_time % 60000)");
  CHECK(final_windows.comparison == PeerComparison::FinalRowPerGroup);
  CHECK(final_windows.note ==
        "EMIT CHANGES on a window: the batch peer computes each window's final rows");
}

TEST_CASE("peer translation: continuous queries as window functions over the arrival order") {
  const Schema schema = Schema::parse("id:integer,k:string,x:float,n:integer,ts:timestamp");
  auto sqlite = [&](const std::string& sql) {
    const PeerTranslation t = translate_for_peer(sql, schema, PeerDialect::Sqlite);
    CHECK(t.comparison == PeerComparison::EveryRowInOrder);
    return t.sql;
  };
  // One global group: no PARTITION BY; WHERE as written; an expression over aggregates.
  CHECK(sqlite("SELECT COUNT(*), SUM(x) / COUNT(n) AS mean FROM t WHERE n > 0") ==
        "SELECT COUNT(*) OVER sg_group, SUM(x) OVER sg_group / COUNT(n) OVER sg_group AS mean "
        "FROM t WHERE n > 0 WINDOW sg_group AS (ORDER BY sg_seq ROWS UNBOUNDED PRECEDING) ORDER "
        "BY sg_seq");
  // An expression key, MIN and MAX, EMIT CHANGES written out.
  CHECK(sqlite("SELECT n % 3, MIN(x), MAX(k) FROM t GROUP BY n % 3 EMIT CHANGES") ==
        "SELECT n % 3, MIN(x) OVER sg_group, MAX(k) OVER sg_group FROM t WINDOW sg_group AS "
        "(PARTITION BY n % 3 ORDER BY sg_seq ROWS UNBOUNDED PRECEDING) ORDER BY sg_seq");
  // HAVING: computed beside the row in a subquery, the rows it rejects dropped.
  CHECK(sqlite("SELECT k, COUNT(*) AS c FROM t GROUP BY k HAVING SUM(n) > 2 AND k <> 'K1'") ==
        "SELECT sg_c0, sg_c1 AS c FROM (SELECT k AS sg_c0, COUNT(*) OVER sg_group AS sg_c1, "
        "(SUM(n) OVER sg_group > 2 AND k <> 'K1') AS sg_keep, sg_seq FROM t WINDOW sg_group AS "
        "(PARTITION BY k ORDER BY sg_seq ROWS UNBOUNDED PRECEDING)) WHERE sg_keep ORDER BY "
        "sg_seq");
  // EMIT CHANGES on an event-time window: partitioned by the loaded event time's bucket too.
  CHECK(sqlite("SELECT k, AVG(x) FROM t GROUP BY k WINDOW TUMBLING(10s) EMIT CHANGES") ==
        "SELECT k, AVG(x) OVER sg_group FROM t WINDOW sg_group AS (PARTITION BY k, "
        "sg_event_time - (sg_event_time % 10000) ORDER BY sg_seq ROWS UNBOUNDED PRECEDING) "
        "ORDER BY sg_seq");
  // DuckDB: integer division spelled `//` inside the running form too.
  CHECK(translate_for_peer("SELECT k, SUM(n) / 2 FROM t GROUP BY k", schema, PeerDialect::DuckDb)
            .sql ==
        "SELECT k, SUM(n) OVER sg_group // 2 FROM t WINDOW sg_group AS (PARTITION BY k ORDER BY "
        "sg_seq ROWS UNBOUNDED PRECEDING) ORDER BY sg_seq");
}

TEST_CASE("peer translation: SELECT *, event-time windows, HAVING, quoting, division") {
  const Schema schema = Schema::parse("id:integer,k:string,x:float,n:integer,ts:timestamp");
  auto sqlite = [&](const std::string& sql) {
    return translate_for_peer(sql, schema, PeerDialect::Sqlite).sql;
  };
  auto duckdb = [&](const std::string& sql) {
    return translate_for_peer(sql, schema, PeerDialect::DuckDb).sql;
  };
  // `*` is the input's columns, never the arrival sequence and event time the peer loads.
  CHECK(sqlite("SELECT * FROM t WHERE NOT (x > 0.5) OR n IS NULL") ==
        "SELECT id, k, x, n, ts FROM t WHERE NOT x > 0.5 OR n IS NULL");
  // TUMBLING(1m): the bucket of the loaded event time.
  CHECK(sqlite("SELECT k, COUNT(*) FROM t GROUP BY k WINDOW TUMBLING(1m) EMIT FINAL") ==
        "SELECT k, COUNT(*) FROM t GROUP BY k, sg_event_time - (sg_event_time % 60000)");
  CHECK(sqlite("SELECT k, SUM(x) AS s FROM t GROUP BY k HAVING COUNT(*) > 2 EMIT FINAL") ==
        "SELECT k, SUM(x) AS s FROM t GROUP BY k HAVING COUNT(*) > 2");
  // The standard OVER form and a window without PARTITION BY.
  CHECK(sqlite("SELECT n - AVG(n) OVER (ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) "
               "FROM t") ==
        "SELECT n - AVG(n) OVER (ORDER BY sg_seq ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM t");
  // Integer division truncates in our engine and SQLite; DuckDB's spelling of it is `//`.
  CHECK(sqlite("SELECT n / 3, x / 2, (n + 1) * -n FROM t") ==
        "SELECT n / 3, x / 2, (n + 1) * - n FROM t");
  CHECK(duckdb("SELECT n / 3, x / 2, (n - 1) / (id % 4) FROM t") ==
        "SELECT n // 3, x / 2, (n - 1) // (id % 4) FROM t");
  CHECK(sqlite("SELECT a - (b - c), (a - b) - c FROM t") == "SELECT a - (b - c), a - b - c FROM t");
  // Names that are SQL keywords (or not plain words) are quoted.
  CHECK(sqlite("SELECT \"order\", \"my col\" AS \"select\" FROM \"group\"") ==
        "SELECT \"order\", \"my col\" AS \"select\" FROM \"group\"");
}

TEST_CASE("peer translation: precedence and minus signs, in each peer's dialect") {
  const Schema schema = Schema::parse("n:integer,m:integer,x:float");
  const std::string sql =
      "SELECT -(n + m), - -n, -5, -(5), - -5, n / (m * 2) % 3, -x / n, NOT (n > 1 AND m < 2) OR "
      "(n = m) IS NULL FROM t";
  // Unary minus is always "- x": the peers need no round trip to our tree.
  const std::string sqlite =
      "SELECT - (n + m), - - n, -5, - 5, - -5, n / (m * 2) % 3, - x / n, NOT (n > 1 AND m < 2) "
      "OR n = m IS NULL FROM t";
  CHECK(translate_for_peer(sql, schema, PeerDialect::Sqlite).sql == sqlite);
  CHECK(translate_for_peer(sql, schema, PeerDialect::DuckDb).sql ==
        "SELECT - (n + m), - - n, -5, - 5, - -5, n // (m * 2) % 3, - x / n, NOT (n > 1 AND m < "
        "2) OR n = m IS NULL FROM t");
}

TEST_CASE("peer translation: the scenarios' SQL prints back to itself in our dialect") {
  const auto dir = std::filesystem::path(STREAMGAUGE_SOURCE_DIR) / "scenarios";
  for (const Scenario& s : load_scenarios(dir)) {
    INFO(s.name);
    const std::string once = parse_select(s.sql).to_sql();
    CHECK(parse_select(once).to_sql() == once);
  }
}

TEST_CASE("peer translation: the loaded extra columns never clash with the schema") {
  const Schema schema = Schema::parse("sg_seq:integer,sg_event_time:timestamp,v:float");
  const PeerExtraColumns extra = peer_extra_columns(schema);
  CHECK(extra.seq == "sg_seq_");
  CHECK(extra.event_time == "sg_event_time_");
  CHECK(translate_for_peer("SELECT v, SUM(v) OVER (ROWS WINDOW BUFFER 3 ROWS) FROM t", schema,
                           PeerDialect::Sqlite)
            .sql ==
        "SELECT v, SUM(v) OVER (ORDER BY sg_seq_ ROWS BETWEEN 2 PRECEDING AND CURRENT "
        "ROW) FROM t");
}

TEST_CASE("peer translation: a malformed query names line:column") {
  const Schema schema = Schema::parse("a:integer");
  try {
    translate_for_peer("SELECT a\nFORM t", schema, PeerDialect::Sqlite);
    FAIL("expected an SqlError");
  } catch (const SqlError& e) {
    CHECK(e.pos().line == 2);
    CHECK(std::string(e.what()).find("expected") != std::string::npos);
  }
}
