// Latency runs of whole strategies: every row measured, the output check unchanged, the source
// never ahead of its schedule; and the coordinated-omission correction, with a sink that stalls.
#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <thread>

#include <nlohmann/json.hpp>

#include "harness/latency/latency_run.h"
#include "strategy_test_support.h"

using namespace sg;
using namespace sg::test;

namespace {

LatencyRunResult run_latency_named(std::string_view name, const JobConfig& config,
                                   const JobInputs& inputs, const LatencyRunOptions& options) {
  auto strategy = make_strategy(name);
  REQUIRE(strategy != nullptr);
  auto future = std::async(std::launch::async,
                           [&] { return run_latency(*strategy, config, inputs, options); });
  if (future.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
    std::fprintf(stderr, "WATCHDOG: latency run of %s did not return within 60 s\n",
                 std::string(name).c_str());
    std::_Exit(97);
  }
  return future.get();
}

// Sleeps once, before its `stall_at`-th write, then passes every write on.
class StallOnceWriter final : public DataWriter {
 public:
  StallOnceWriter(std::unique_ptr<DataWriter> inner, int stall_at, std::chrono::milliseconds stall)
      : inner_(std::move(inner)), stall_at_(stall_at), stall_(stall) {}
  void write(std::span<const RecordPtr> rows) override {
    if (++writes_ == stall_at_) std::this_thread::sleep_for(stall_);
    inner_->write(rows);
  }
  void commit() override { inner_->commit(); }
  uint64_t rows_written() const override { return inner_->rows_written(); }
  uint64_t rows_committed() const override { return inner_->rows_committed(); }

 private:
  std::unique_ptr<DataWriter> inner_;
  int stall_at_;
  std::chrono::milliseconds stall_;
  int writes_ = 0;
};

}  // namespace

TEST_CASE("latency: every strategy measures every row and keeps direct's output") {
  const SharedDataset data = make_trades(2000);
  for (TestQueryKind kind : {TestQueryKind::Filter, TestQueryKind::RunningCount}) {
    const Digest expected = direct_digest(kind, data);
    struct Cell {
      const char* strategy;
      int partitions;
      size_t batch;
      StreamingMode mode = StreamingMode::Eager;
    };
    for (const Cell& cell :
         {Cell{"direct", 1, 100}, Cell{"per_record_lock", 1, 1}, Cell{"batch_lock", 1, 100},
          Cell{"lockless_stp", 2, 100}, Cell{"adaptive", 2, 100}, Cell{"adaptive", 1, 1000},
          Cell{"streaming", 1, 100, StreamingMode::Eager},
          Cell{"streaming", 1, 100, StreamingMode::Lazy},
          Cell{"streaming", 1, 100, StreamingMode::Spawnless},
          Cell{"streaming", 1, 100, StreamingMode::Pooled}}) {
      JobConfig config;
      config.partitions = cell.partitions;
      config.batch_size = cell.batch;
      config.streaming = cell.mode;
      LatencyRunOptions options;
      options.rate = 50000;  // 2,000 records in 40 ms
      const LatencyRunResult r =
          run_latency_named(cell.strategy, config, inputs_for(kind, data), options);
      INFO(cell.strategy << " partitions " << cell.partitions << " batch " << cell.batch
                         << " streaming mode " << streaming_mode_name(cell.mode));
      require_conserved(r.run);
      REQUIRE(r.run.digest == expected);
      REQUIRE(r.latency.count() == r.run.rows_written);  // one sample per output row
      REQUIRE(r.records_released == data->records.size());
      REQUIRE(r.records_released == r.run.records_read);
      // Never ahead of its schedule: the last record was released at its time or after it.
      REQUIRE(r.achieved_rate > 0);
      REQUIRE(r.achieved_rate <= r.offered_rate * 1.0001);
      REQUIRE(r.duration_ns >= 39'980'000);
      REQUIRE(r.release_lag.count() > 0);
      const nlohmann::json j = r.to_json();
      REQUIRE(j.at("latency_ns").at("count") == r.latency.count());
      REQUIRE(j.at("latency_ns").contains("p99_9"));
      REQUIRE(j.at("run").at("strategy") == cell.strategy);
    }
  }
}

// The coordinated-omission correction: a sink that stalls for 100 ms once must show up as the
// latency of every record that fell due during the stall (their intended times passed while the
// pipeline could not take them), not as one slow sample. At 2,000 records/s about 200 records
// fall due in 100 ms; the one that fell due t ms into the stall waits about 100 - t ms more. A
// loaded machine only adds latency, so the test asserts lower bounds on counts.
TEST_CASE("latency: records behind a stalled sink carry the stall (coordinated omission)") {
  const SharedDataset data = make_trades(1000);  // 0.5 s at 2,000 records/s
  for (const char* strategy : {"direct", "adaptive", "streaming"}) {
    JobConfig config;
    config.batch_size = 100;
    LatencyRunOptions options;
    options.rate = 2000;
    options.wrap_writer = [](std::unique_ptr<DataWriter> inner, int) {
      return std::make_unique<StallOnceWriter>(std::move(inner), 100,
                                               std::chrono::milliseconds(100));
    };
    const LatencyRunResult r =
        run_latency_named(strategy, config, inputs_for(TestQueryKind::RowNumber, data), options);
    INFO(strategy << ": " << r.run.error);
    REQUIRE(r.run.ok);
    REQUIRE(r.latency.count() == 1000);
    uint64_t above_50ms = 0, above_90ms = 0;
    for (size_t i = 0; i < LatencyHistogram::kCountsLength; ++i) {
      if (LatencyHistogram::lowest_in_bucket(i) >= 50'000'000) above_50ms += r.latency.count_at(i);
      if (LatencyHistogram::lowest_in_bucket(i) >= 90'000'000) above_90ms += r.latency.count_at(i);
    }
    INFO("above 50 ms: " << above_50ms << ", above 90 ms: " << above_90ms
                         << ", p99: " << r.latency.percentile(99));
    REQUIRE(r.latency.max() >= 100'000'000);
    // Those due in the stall's first half waited at least 50 ms: about 100 of them.
    REQUIRE(above_50ms >= 80);
    REQUIRE(above_90ms >= 10);
    REQUIRE(r.latency.percentile(99) >= 90'000'000);  // the 10 slowest of 1,000: all stalled
    // direct's source waits for the stalled sink: about 200 records fall due behind it.
    // adaptive's reader (streaming's producer) goes on releasing into the queue (the channel),
    // where the records wait instead.
    if (std::string_view(strategy) == "direct") REQUIRE(r.max_backlog >= 150);
  }
}
