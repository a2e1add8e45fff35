#include <catch2/catch.hpp>

#include "strategy_test_support.h"

using namespace sg;
using namespace sg::test;

TEST_CASE("batch_lock: matches direct with a mutex and with a rwlock") {
  check_matches_direct("batch_lock", [](JobConfig& c) { c.lock = LockKind::Mutex; });
  check_matches_direct("batch_lock", [](JobConfig& c) { c.lock = LockKind::RwLock; });
}

TEST_CASE("batch_lock: takes one lock per batch, plus one for finish()") {
  JobConfig config;
  config.batch_size = 100;
  const RunResult r =
      run_named("batch_lock", config, inputs_for(TestQueryKind::Filter, make_trades(1000)));
  require_conserved(r);
  REQUIRE(r.locks_taken == 11);
  REQUIRE(r.batches == 10);
  REQUIRE(r.average_batch_size() == Approx(100.0));
}

TEST_CASE("batch_lock: the phases of a run add up to its wall time") {
  const RunResult r = run_named("batch_lock", JobConfig{},
                                inputs_for(TestQueryKind::RunningCount, make_trades(3000)));
  require_conserved(r);
  require_phases_add_up(r);
  const ThreadReport& job = r.job_thread();
  REQUIRE(job.phase_ns[static_cast<size_t>(Phase::Engine)] > 0);
  REQUIRE(job.phase_ns[static_cast<size_t>(Phase::Read)] > 0);
  REQUIRE(job.cpu_ns > 0);
}
