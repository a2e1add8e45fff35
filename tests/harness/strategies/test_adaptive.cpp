#include <catch2/catch.hpp>

#include <memory>
#include <optional>

#include "harness/io/fault_injection.h"
#include "harness/io/memory_reader.h"
#include "harness/strategies/job_parts.h"
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

namespace {

// Every record of the dataset is held by the dataset alone again: nothing leaked a reference and,
// above all, no lent record (one that crossed a queue without a reference of its own) was dropped
// as if it owned one, which would have freed records the dataset still holds.
bool counts_back_to_one(const SharedDataset& data) {
  for (const RecordPtr& r : data->records)
    if (r->use_count() != 1) return false;
  return true;
}

// Lends its first batch (read_view), then only reads: a reader breaking the rule that lending is
// decided once. The strategy must stop cleanly and give back the batch it had lent.
class LendsOnce final : public DataReader {
 public:
  explicit LendsOnce(std::unique_ptr<DataReader> inner) : inner_(std::move(inner)) {}
  ReadResult read(size_t max, Batch& out) override { return inner_->read(max, out); }
  std::optional<ReadView> read_view(size_t max) override {
    if (lent_) return std::nullopt;
    lent_ = true;
    return inner_->read_view(max);
  }
  void commit() override { inner_->commit(); }
  uint64_t records_read() const override { return inner_->records_read(); }
  uint64_t records_committed() const override { return inner_->records_committed(); }

 private:
  std::unique_ptr<DataReader> inner_;
  bool lent_ = false;
};

}  // namespace

TEST_CASE("adaptive: lent records come back with their counts untouched, also after a failure") {
  const SharedDataset data = make_trades(3000);
  for (const QueueInfo& info : queue_kinds()) {
    for (int partitions : {1, 2}) {
      INFO(info.name << " partitions " << partitions);
      JobConfig config;
      config.queue = info.kind;
      config.partitions = partitions;
      config.batch_size = 10;
      config.queue_capacity = 64;  // the reader runs ahead: queues still hold records at the abort
      JobInputs inputs = inputs_for(TestQueryKind::Filter, data);
      RunResult r = run_named("adaptive", config, inputs);
      require_conserved(r);
      REQUIRE(counts_back_to_one(data));

      inputs.wrap_engine = fail_engine_at(700, partitions - 1);
      r = run_named("adaptive", config, inputs);
      REQUIRE_FALSE(r.ok);
      REQUIRE(r.error == "engine error: injected fault: engine fails at record 700");
      REQUIRE(counts_back_to_one(data));
    }
  }
}

TEST_CASE("adaptive: a reader that does not lend hands over shared records") {
  const SharedDataset data = make_trades(2000);
  const Digest expected = direct_digest(TestQueryKind::RunningCount, data);
  for (int partitions : {1, 2}) {
    JobConfig config;
    config.partitions = partitions;
    config.batch_size = 100;
    config.queue_capacity = 64;
    JobInputs inputs = inputs_for(TestQueryKind::RunningCount, data);
    // The fault decorator reads through read() only (it never lends) and, this late, never fails.
    inputs.make_reader = fail_reader_at(
        memory_reader_factory(data, Partitioning::Any, nullptr), uint64_t{1} << 40);
    const RunResult r = run_named("adaptive", config, inputs);
    require_conserved(r);
    REQUIRE(r.digest == expected);
    REQUIRE(counts_back_to_one(data));
  }
}

TEST_CASE("adaptive: a reader that stops lending part-way stops the job, records given back") {
  const SharedDataset data = make_trades(2000);
  JobConfig config;
  config.batch_size = 100;
  JobInputs inputs = inputs_for(TestQueryKind::Filter, data);
  inputs.make_reader = [&data](int, int) -> std::unique_ptr<DataReader> {
    return std::make_unique<LendsOnce>(std::make_unique<MemoryReader>(data));
  };
  const RunResult r = run_named("adaptive", config, inputs);
  REQUIRE_FALSE(r.ok);
  REQUIRE(r.error == "adaptive: the reader stopped lending records part-way");
  REQUIRE(r.records_committed == 0);
  REQUIRE(counts_back_to_one(data));
}
