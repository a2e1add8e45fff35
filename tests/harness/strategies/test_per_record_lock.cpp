#include <catch2/catch.hpp>

#include "strategy_test_support.h"

using namespace sg;
using namespace sg::test;

TEST_CASE("per_record_lock: matches direct with a mutex and with a rwlock") {
  check_matches_direct("per_record_lock", [](JobConfig& c) { c.lock = LockKind::Mutex; });
  check_matches_direct("per_record_lock", [](JobConfig& c) { c.lock = LockKind::RwLock; });
}

TEST_CASE("per_record_lock: takes one lock per record, plus one for finish()") {
  JobConfig config;
  config.batch_size = 100;
  const RunResult r =
      run_named("per_record_lock", config, inputs_for(TestQueryKind::Filter, make_trades(1000)));
  require_conserved(r);
  REQUIRE(r.locks_taken == 1001);
  REQUIRE(r.batches == 10);
}

TEST_CASE("per_record_lock: --partitions has no meaning") {
  JobConfig config;
  config.partitions = 4;
  const RunResult r =
      run_named("per_record_lock", config, inputs_for(TestQueryKind::Filter, make_trades(10)));
  REQUIRE(r.skipped);
  REQUIRE(r.error ==
          "per_record_lock: --partitions has no meaning (one loop over one shared engine)");
}

TEST_CASE("per_record_lock: with phase timing off every phase reads 0 and still adds up") {
  JobConfig config;
  config.phase_timing = false;
  const RunResult r =
      run_named("per_record_lock", config, inputs_for(TestQueryKind::Filter, make_trades(500)));
  require_conserved(r);
  require_phases_add_up(r);
  REQUIRE(r.job_thread().attributed_ns() == 0);
  REQUIRE(r.job_thread().unattributed_ns == r.wall_ns);
}
