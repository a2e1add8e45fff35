// The seeds' scenarios through the real SQL engine, under every strategy and config: the output
// equals direct's (same rows, same order per key) and every record and row is accounted for.
#include <catch2/catch.hpp>

#include "engine/query.h"
#include "strategy_test_support.h"

using namespace sg;
using namespace sg::test;

namespace {

const char* const kScenarios[] = {
    // filter + projection (stateless, Any)
    "SELECT symbol, price * 2 AS doubled FROM market_data WHERE quantity > 20",
    // GROUP BY, continuous (ByKey)
    "SELECT trader_id, symbol, COUNT(*) AS trade_count, AVG(price) AS avg_price, "
    "SUM(quantity) AS total_quantity FROM market_data GROUP BY trader_id, symbol",
    // ROWS window with PARTITION BY (ByKey)
    "SELECT symbol, price, AVG(price) OVER (ROWS WINDOW BUFFER 10 ROWS PARTITION BY symbol "
    "ORDER BY trade_time) AS moving_avg FROM market_data",
    // ROWS window over the whole stream (Single)
    "SELECT symbol, SUM(price) OVER (ROWS WINDOW BUFFER 5 ROWS) AS s FROM market_data",
    // tumbling, EMIT FINAL
    "SELECT trader_id, symbol, COUNT(*) AS trade_count, SUM(quantity) AS q FROM market_data "
    "GROUP BY trader_id, symbol WINDOW TUMBLING (trade_time, INTERVAL '1' MINUTE)",
    // tumbling, EMIT CHANGES
    "SELECT trader_id, symbol, COUNT(*) AS trade_count, SUM(quantity) AS q FROM market_data "
    "GROUP BY trader_id, symbol WINDOW TUMBLING (trade_time, INTERVAL '1' MINUTE) EMIT CHANGES",
};

SharedDataset market_data(size_t rows) {
  auto ds = std::make_shared<Dataset>();
  ds->schema = Schema::parse(
      "symbol:string,price:float,quantity:integer,trader_id:string,trade_time:timestamp");
  for (size_t i = 0; i < rows; ++i) {
    RecordMeta meta;
    meta.offset = static_cast<int64_t>(i);
    meta.event_time = 1'700'000'000'000 + static_cast<int64_t>(i) * 1000;  // one per second
    meta.partition = static_cast<int32_t>(i % 2);
    ds->records.push_back(RecordPtr::make(
        {Value::string("SYM" + std::to_string(i * 7 % 5)),
         Value::floating(100.0 + static_cast<double>(i * 13 % 50) / 4),
         Value::integer(static_cast<int64_t>(i * 11 % 40)),
         Value::string("T" + std::to_string(i % 3)), Value::timestamp(meta.event_time)},
        meta));
  }
  return ds;
}

}  // namespace

TEST_CASE("conservation: the seeds' SQL scenarios give direct's output under every strategy") {
  const SharedDataset data = market_data(600);
  for (const char* sql : kScenarios) {
    INFO(sql);
    JobInputs inputs;
    inputs.query = CompiledQuery::compile(sql, data->schema);
    inputs.dataset = data;
    const RunResult expected = run_named("direct", JobConfig{}, inputs);
    REQUIRE(expected.ok);
    REQUIRE(expected.rows_written > 0);
    for (const StrategyInfo& strategy : strategies()) {
      for (int partitions : {1, 2, 4}) {
        for (size_t batch : {size_t{1}, size_t{100}, size_t{1000}}) {
          JobConfig config;
          config.partitions = partitions;
          config.batch_size = batch;
          config.queue_capacity = 64;
          const RunResult r = run_named(strategy.name, config, inputs);
          INFO(strategy.name << " partitions " << partitions << " batch " << batch << ": "
                             << r.error);
          if (r.skipped) continue;
          require_conserved(r);
          REQUIRE(r.records_read == data->records.size());
          REQUIRE(r.engine.late_records == expected.engine.late_records);
          REQUIRE(r.digest == expected.digest);
        }
      }
    }
  }
}

TEST_CASE("conservation: passthrough moves every record through every strategy") {
  const SharedDataset data = market_data(1000);
  JobInputs inputs;
  inputs.dataset = data;
  for (const StrategyInfo& strategy : strategies()) {
    JobConfig config;
    config.engine = EngineKind::Passthrough;
    config.batch_size = 64;
    config.partitions = 3;
    if (auto strategy_ptr = make_strategy(strategy.name); strategy_ptr->unsupported(config, inputs))
      config.partitions = 1;
    const RunResult r = run_named(strategy.name, config, inputs);
    INFO(strategy.name << ": " << r.error);
    require_conserved(r);
    REQUIRE(r.rows_written == 1000);
  }
}
