// --handoff (harness/job/handoff.h) under adaptive, on every source: the output is direct's and
// every record is accounted for; strategies with no hand-off between threads refuse it.
#include <catch2/catch.hpp>

#include "strategy_test_support.h"

using namespace sg;
using namespace sg::test;

TEST_CASE("handoff: adaptive keeps direct's output under every hand-off and source") {
  const SharedDataset data = make_trades(3000);
  for (TestQueryKind kind : {TestQueryKind::Filter, TestQueryKind::RunningCount}) {
    const JobInputs inputs = inputs_for(kind, data);
    const RunResult expected = run_named("direct", JobConfig{}, inputs);
    REQUIRE(expected.ok);
    for (Handoff handoff : {Handoff::Move, Handoff::Share, Handoff::DeepCopy}) {
      for (SourceKind source : {SourceKind::Lent, SourceKind::Shared, SourceKind::Materialized}) {
        for (int partitions : {1, 3}) {
          JobConfig config;
          config.handoff = handoff;
          config.source = source;
          config.partitions = partitions;
          config.batch_size = 100;
          config.queue_capacity = 256;
          const RunResult r = run_named("adaptive", config, inputs);
          INFO(handoff_name(handoff)
               << " " << source_kind_name(source) << " p" << partitions << ": " << r.error);
          require_conserved(r);
          REQUIRE(r.records_read == data->records.size());
          REQUIRE(r.digest == expected.digest);
        }
      }
    }
  }
}

TEST_CASE("handoff: the strategies other than adaptive refuse share and deep-copy") {
  const JobInputs inputs = inputs_for(TestQueryKind::Filter, make_trades(10));
  for (const char* name :
       {"direct", "per_record_lock", "batch_lock", "lockless_stp", "streaming"}) {
    JobConfig config;
    config.handoff = Handoff::DeepCopy;
    const RunResult r = run_named(name, config, inputs);
    INFO(name);
    REQUIRE(r.skipped);
    REQUIRE_THAT(r.error, Catch::Contains(std::string(name) +
                                          ": --handoff applies only to the reader-to-worker "
                                          "hand-off of adaptive"));
    config.handoff = Handoff::Move;
    REQUIRE(run_named(name, config, inputs).ok);
  }
}
