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

TEST_CASE("lockless_stp and adaptive count each partition's records, split alike by key") {
  JobConfig config;
  config.partitions = 4;
  config.batch_size = 50;
  const JobInputs inputs = inputs_for(TestQueryKind::RunningCount, make_trades(2000));
  const RunResult stp = run_named("lockless_stp", config, inputs);
  const RunResult adaptive = run_named("adaptive", config, inputs);
  REQUIRE(stp.ok);
  REQUIRE(adaptive.ok);
  // Threads after the job thread: the partitions; adaptive's reader comes before its workers.
  std::vector<uint64_t> per_partition, per_worker;
  for (size_t i = 1; i < stp.threads.size(); ++i) per_partition.push_back(stp.threads[i].records);
  for (size_t i = 2; i < adaptive.threads.size(); ++i)
    per_worker.push_back(adaptive.threads[i].records);
  REQUIRE(per_partition.size() == 4);
  CHECK(per_partition == per_worker);  // partition_of() routes both
  uint64_t sum = 0;
  for (uint64_t n : per_partition) sum += n;
  CHECK(sum == stp.records_processed);
  CHECK(stp.threads[0].records == 0);       // the job thread runs no engine
  CHECK(adaptive.threads[1].records == 0);  // nor does the reader
}
