#include <catch2/catch.hpp>

#include "strategy_test_support.h"

using namespace sg;
using namespace sg::test;

TEST_CASE("lockless_stp: matches direct for 1, 2 and 4 partitions") {
  check_matches_direct("lockless_stp", [](JobConfig&) {});
}

TEST_CASE("lockless_stp: one thread per partition, each adding up to its lifetime") {
  JobConfig config;
  config.partitions = 4;
  config.batch_size = 50;
  const RunResult r =
      run_named("lockless_stp", config, inputs_for(TestQueryKind::RunningCount, make_trades(2000)));
  require_conserved(r);
  require_phases_add_up(r);
  REQUIRE(r.threads.size() == 5);
  REQUIRE(r.threads[1].role == "partition 0");
  REQUIRE(r.threads[4].role == "partition 3");
  REQUIRE(r.locks_taken == 0);
}

TEST_CASE("lockless_stp: a whole-stream query cannot be split") {
  JobConfig config;
  config.partitions = 2;
  RunResult r =
      run_named("lockless_stp", config, inputs_for(TestQueryKind::RowNumber, make_trades(10)));
  REQUIRE(r.skipped);
  REQUIRE(r.error ==
          "lockless_stp: query needs a single partition (ROWS window without PARTITION BY)");
  config.partitions = 1;
  r = run_named("lockless_stp", config, inputs_for(TestQueryKind::RowNumber, make_trades(10)));
  REQUIRE(r.ok);
}
