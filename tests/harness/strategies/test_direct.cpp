#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "harness/io/collecting_writer.h"
#include "strategy_test_support.h"

using namespace sg;
using namespace sg::test;

TEST_CASE("registry: every strategy is found by its name and describes itself") {
  REQUIRE(!strategies().empty());
  for (const StrategyInfo& info : strategies()) {
    auto s = make_strategy(info.name);
    REQUIRE(s != nullptr);
    REQUIRE(s->name() == info.name);
    REQUIRE(std::string(info.description).size() > 10);
  }
  REQUIRE(make_strategy("no_such_strategy") == nullptr);
  REQUIRE(strategy_names().find("direct") != std::string::npos);
}

TEST_CASE("direct: output is the engine's output, whatever the batch size") {
  check_matches_direct("direct", [](JobConfig&) {});
}

TEST_CASE("direct: passthrough returns every record, shared") {
  const SharedDataset data = make_trades(300);
  JobConfig config;
  config.engine = EngineKind::Passthrough;
  config.batch_size = 64;
  JobInputs inputs;
  inputs.dataset = data;
  auto writer = std::make_shared<CollectingWriter*>(nullptr);
  inputs.make_writer = [writer](int) {
    auto w = std::make_unique<CollectingWriter>();
    *writer = w.get();
    return w;
  };
  // The writer lives as long as the run; check the rows by digest instead of by pointer.
  const RunResult r = run_named("direct", config, inputs);
  require_conserved(r);
  REQUIRE(r.rows_written == 300);
  REQUIRE(r.batches == 5);
  REQUIRE(r.average_batch_size() == Approx(60.0));
  Digest expected;
  for (const RecordPtr& rec : data->records) expected.add(*rec);
  REQUIRE(r.digest == expected);
}

TEST_CASE("direct: rejects configs that make no sense, with the reason") {
  const SharedDataset data = make_trades(10);
  JobConfig config;
  config.partitions = 2;
  RunResult r = run_named("direct", config, inputs_for(TestQueryKind::Filter, data));
  REQUIRE(r.skipped);
  REQUIRE(r.error.find("direct: --partitions has no meaning") == 0);

  config = JobConfig{};
  JobInputs no_query;
  no_query.dataset = data;
  r = run_named("direct", config, no_query);
  REQUIRE(r.skipped);
  REQUIRE(r.error.find("needs a query") != std::string::npos);

  config.batch_size = 0;
  r = run_named("direct", config, inputs_for(TestQueryKind::Filter, data));
  REQUIRE(r.skipped);
  REQUIRE(r.error.find("--batch-size") != std::string::npos);
}

TEST_CASE("direct: the result serialises to JSON") {
  const RunResult r =
      run_named("direct", JobConfig{}, inputs_for(TestQueryKind::RunningCount, make_trades(50)));
  const std::string json = r.to_json().dump();
  REQUIRE(json.find("\"strategy\":\"direct\"") != std::string::npos);
  REQUIRE(json.find("\"unattributed\"") != std::string::npos);
  REQUIRE(json.find("\"digest\"") != std::string::npos);
}
