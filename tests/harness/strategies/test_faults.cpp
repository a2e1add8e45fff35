// Faults injected into every strategy: the run stops, says why, counts exactly what it committed,
// and leaves no thread behind. A hang fails through the watchdog in run_with_watchdog.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "harness/io/fault_injection.h"
#include "harness/strategies/job_parts.h"
#include "strategy_test_support.h"

using namespace sg;
using namespace sg::test;

namespace {

constexpr size_t kRows = 2000;
constexpr size_t kBatch = 100;

// Passthrough, so that rows and records match one for one and the counts can be exact.
JobInputs passthrough_inputs() {
  JobInputs in;
  in.dataset = make_trades(kRows);
  return in;
}

JobConfig passthrough_config(int partitions) {
  JobConfig c;
  c.engine = EngineKind::Passthrough;
  c.batch_size = kBatch;
  c.partitions = partitions;
  c.queue_capacity = 64;
  return c;
}

ReaderFactory memory_readers(const JobInputs& in) {
  return memory_reader_factory(in.dataset, Partitioning::Any, nullptr);
}


RunResult run_checked(std::string_view strategy, const JobConfig& config, const JobInputs& in) {
  const int threads_before = thread_count();
  const RunResult r = run_named(strategy, config, in);
  INFO(strategy << ": " << r.error);
  REQUIRE_FALSE(r.skipped);
  REQUIRE_FALSE(r.ok);
  REQUIRE(threads_back_to(threads_before));  // every thread of the run has been joined
  require_phases_add_up(r);
  // Nothing half-written is reported as committed.
  REQUIRE(r.rows_committed <= r.rows_written);
  REQUIRE(r.records_committed <= r.records_read);
  return r;
}

}  // namespace

TEST_CASE("faults: single-loop strategies stop at a reader fault with exact counts") {
  for (const char* strategy : {"per_record_lock", "batch_lock", "lockless_stp"}) {
    JobInputs in = passthrough_inputs();
    in.make_reader = fail_reader_at(memory_readers(in), 3);
    const RunResult r = run_checked(strategy, passthrough_config(1), in);
    REQUIRE(r.error == "source error: injected fault: reader fails at batch 3");
    REQUIRE(r.records_committed == 3 * kBatch);
    REQUIRE(r.rows_committed == 3 * kBatch);
  }
}

TEST_CASE("faults: single-loop strategies stop at a writer fault with exact counts") {
  for (const char* strategy : {"direct", "per_record_lock", "batch_lock", "lockless_stp"}) {
    JobInputs in = passthrough_inputs();
    in.make_writer = fail_writer_at(digest_writer_factory(), 2);
    const RunResult r = run_checked(strategy, passthrough_config(1), in);
    REQUIRE(r.error == "sink error: injected fault: writer fails at batch 2");
    REQUIRE(r.rows_committed == 2 * kBatch);
    REQUIRE(r.rows_written == 2 * kBatch);
    REQUIRE(r.records_committed == 2 * kBatch);
  }
}

TEST_CASE("faults: single-loop strategies stop at an engine fault with exact counts") {
  for (const char* strategy : {"direct", "per_record_lock", "batch_lock", "lockless_stp"}) {
    JobInputs in = passthrough_inputs();
    in.wrap_engine = fail_engine_at(250);
    const RunResult r = run_checked(strategy, passthrough_config(1), in);
    REQUIRE(r.error == "engine error: injected fault: engine fails at record 250");
    // Records 200..249 were processed but their batch never reached the writer.
    REQUIRE(r.rows_committed == 200);
    REQUIRE(r.records_committed == 200);
  }
}

TEST_CASE("faults: lockless_stp stops every partition when one fails") {
  for (int failing : {0, 3}) {
    JobInputs in = passthrough_inputs();
    in.wrap_engine = fail_engine_at(250, failing);
    const RunResult r = run_checked("lockless_stp", passthrough_config(4), in);
    REQUIRE(r.error == "engine error: injected fault: engine fails at record 250");
    // Partitions commit source and sink in step: committed records == committed rows.
    REQUIRE(r.records_committed == r.rows_committed);
    REQUIRE(r.records_committed >= 200);
    REQUIRE(r.records_committed < kRows);

    in = passthrough_inputs();
    in.make_reader = fail_reader_at(memory_readers(in), 1, failing);
    const RunResult reader_fault = run_checked("lockless_stp", passthrough_config(4), in);
    REQUIRE(reader_fault.error == "source error: injected fault: reader fails at batch 1");

    in = passthrough_inputs();
    in.make_writer = fail_writer_at(digest_writer_factory(), 1, failing);
    const RunResult writer_fault = run_checked("lockless_stp", passthrough_config(4), in);
    REQUIRE(writer_fault.error == "sink error: injected fault: writer fails at batch 1");
    REQUIRE(writer_fault.rows_committed == writer_fault.records_committed);
  }
}

TEST_CASE("faults: adaptive stops reader and workers on a fault anywhere") {
  for (int partitions : {1, 4}) {
    for (WriterMode mode : {WriterMode::Shared, WriterMode::PerPartition}) {
      JobConfig config = passthrough_config(partitions);
      config.writer_mode = mode;
      JobInputs in = passthrough_inputs();
      in.make_reader = fail_reader_at(memory_readers(in), 3);
      RunResult r = run_checked("adaptive", config, in);
      REQUIRE(r.error == "source error: injected fault: reader fails at batch 3");
      REQUIRE(r.records_committed == 0);  // the source commits only once the job succeeded
      REQUIRE(r.rows_committed == r.rows_written);

      in = passthrough_inputs();
      in.wrap_engine = fail_engine_at(100, partitions - 1);
      r = run_checked("adaptive", config, in);
      REQUIRE(r.error == "engine error: injected fault: engine fails at record 100");
      REQUIRE(r.rows_committed == r.rows_written);
      REQUIRE(r.records_processed < kRows);

      in = passthrough_inputs();
      in.make_writer = fail_writer_at(digest_writer_factory(), 2);
      r = run_checked("adaptive", config, in);
      REQUIRE(r.error == "sink error: injected fault: writer fails at batch 2");
      REQUIRE(r.rows_committed == r.rows_written);
    }
  }
}

TEST_CASE("faults: a worker failing behind a slow sink wakes a reader blocked on a full queue") {
  for (const QueueInfo& queue : queue_kinds()) {
    INFO(queue.name);
    JobConfig config = passthrough_config(2);
    config.batch_size = 10;
    config.queue_capacity = 16;
    config.queue = queue.kind;
    config.routing = Routing::RoundRobin;
    JobInputs in = passthrough_inputs();
    in.make_writer = slow_writer(digest_writer_factory(), std::chrono::microseconds(200));
    in.wrap_engine = fail_engine_at(300, 1);
    const RunResult r = run_checked("adaptive", config, in);
    REQUIRE(r.error == "engine error: injected fault: engine fails at record 300");
    REQUIRE(r.records_read < kRows);  // the reader was stopped, not left to finish
  }
}

TEST_CASE("backpressure: a slow sink blocks the reader instead of growing the queues") {
  JobConfig config = passthrough_config(1);
  config.batch_size = 10;
  config.queue_capacity = 16;
  JobInputs in = passthrough_inputs();
  in.dataset = make_trades(400);
  in.make_writer = slow_writer(digest_writer_factory(), std::chrono::microseconds(300));
  const RunResult r = run_named("adaptive", config, in);
  require_conserved(r);
  REQUIRE(r.queue.producer_waits > 0);
}
