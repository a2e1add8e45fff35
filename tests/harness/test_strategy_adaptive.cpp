#include <catch2/catch.hpp>

#include "strategy_test_support.h"

using namespace sg;
using namespace sg::test;

TEST_CASE("adaptive: matches direct with hash routing, shared and per-partition writers") {
  check_matches_direct("adaptive", [](JobConfig& c) { c.writer_mode = WriterMode::Shared; });
  check_matches_direct("adaptive", [](JobConfig& c) { c.writer_mode = WriterMode::PerPartition; });
}

TEST_CASE("adaptive: round robin and sticky routing, where the query allows them") {
  for (Routing routing : {Routing::RoundRobin, Routing::Sticky}) {
    check_matches_direct("adaptive", [routing](JobConfig& c) { c.routing = routing; });
  }
  JobConfig config;
  config.partitions = 2;
  config.routing = Routing::RoundRobin;
  const RunResult r =
      run_named("adaptive", config, inputs_for(TestQueryKind::RunningCount, make_trades(10)));
  REQUIRE(r.skipped);
  REQUIRE(r.error ==
          "adaptive: --routing round_robin splits a key across workers, but the query keeps "
          "state per key (use --routing hash)");
}

TEST_CASE("adaptive: every queue kind carries the stream") {
  for (const QueueInfo& info : queue_kinds()) {
    INFO(info.name);
    check_matches_direct(
        "adaptive", [&info](JobConfig& c) { c.queue = info.kind; }, 500);
  }
}

TEST_CASE("adaptive: reports queue operations and one report per thread role") {
  JobConfig config;
  config.partitions = 2;
  config.batch_size = 100;
  config.queue_capacity = 128;
  const RunResult r =
      run_named("adaptive", config, inputs_for(TestQueryKind::RunningCount, make_trades(2000)));
  require_conserved(r);
  require_phases_add_up(r);
  REQUIRE(r.queue.items_pushed == 2000);
  REQUIRE(r.queue.items_popped == 2000);
  REQUIRE(r.queue.push_calls > 0);
  REQUIRE(r.threads.size() == 4);
  REQUIRE(r.threads[1].role == "reader");
  REQUIRE(r.threads[2].role == "worker 0");
}
