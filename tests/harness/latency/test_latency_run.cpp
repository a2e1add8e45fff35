// Latency runs of whole strategies: every row measured, the output check unchanged, the source
// never ahead of its schedule; and the coordinated-omission correction, with a sink that stalls.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>

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

// Virtual time for a latency run, so that every latency comes out exact. It moves only when the
// sink stalls (advance()) and when the source waits for a record's intended time; the wait
// returns only once every record intended before that time has reached the sink (rows_written()),
// so the pipeline is empty whenever time moves and no interleaving of threads changes what a row
// measures. For a query writing one row per record, records `gap_ns` apart from the first read.
class LockstepClock final : public LatencyClock {
 public:
  static constexpr int64_t kStartNs = 1'000'000'000;  // not 0: 0 is "not started"

  explicit LockstepClock(int64_t gap_ns) : gap_ns_(gap_ns) {}

  int64_t now_ns() override {
    std::lock_guard lock(mutex_);
    return now_ns_;
  }
  int64_t wait_until(int64_t target_ns) override {
    const int64_t records_before = (target_ns - kStartNs + gap_ns_ - 1) / gap_ns_;
    std::unique_lock lock(mutex_);
    // A hang guard, not a timing: a pipeline that holds rows back would block the source here.
    if (!drained_.wait_for(lock, std::chrono::seconds(20),
                           [&] { return rows_written_ >= records_before; }))
      throw std::runtime_error("lockstep clock: the sink got " + std::to_string(rows_written_) +
                               " rows, not the " + std::to_string(records_before) +
                               " of the records released before the source's wait");
    now_ns_ = std::max(now_ns_, target_ns);
    return now_ns_;
  }

  void advance(int64_t ns) {
    std::lock_guard lock(mutex_);
    now_ns_ += ns;
  }
  void rows_written(size_t rows) {
    {
      std::lock_guard lock(mutex_);
      rows_written_ += static_cast<int64_t>(rows);
    }
    drained_.notify_all();
  }

 private:
  const int64_t gap_ns_;
  std::mutex mutex_;
  std::condition_variable drained_;
  int64_t now_ns_ = kStartNs;
  int64_t rows_written_ = 0;
};

// In front of the latency sink: stalls once, for `stall_ns` of the clock, before the write that
// holds row `stall_row` (counting from 0), and reports every row written to the clock.
class StallOnceWriter final : public DataWriter {
 public:
  StallOnceWriter(std::unique_ptr<DataWriter> inner, LockstepClock& clock, uint64_t stall_row,
                  int64_t stall_ns)
      : inner_(std::move(inner)), clock_(clock), stall_row_(stall_row), stall_ns_(stall_ns) {}
  void write(std::span<const RecordPtr> rows) override {
    if (!stalled_ && written_ + rows.size() > stall_row_) {
      stalled_ = true;
      clock_.advance(stall_ns_);
    }
    inner_->write(rows);
    written_ += rows.size();
    clock_.rows_written(rows.size());
  }
  void commit() override { inner_->commit(); }
  uint64_t rows_written() const override { return inner_->rows_written(); }
  uint64_t rows_committed() const override { return inner_->rows_committed(); }

 private:
  std::unique_ptr<DataWriter> inner_;
  LockstepClock& clock_;
  uint64_t stall_row_;
  int64_t stall_ns_;
  uint64_t written_ = 0;
  bool stalled_ = false;
};

uint64_t count_at_or_above(const LatencyHistogram& h, uint64_t value_ns) {
  uint64_t n = 0;
  for (size_t i = LatencyHistogram::index_of(value_ns); i < LatencyHistogram::kCountsLength; ++i)
    n += h.count_at(i);
  return n;
}

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
// pipeline could not take them), not as one slow sample. On virtual time (LockstepClock) at 1,000
// records/s, row 99 (intended at 99 ms) stalls until 199 ms: it carries 100 ms; records 100..199
// fell due in the stall and are released at 199 ms, so record 100 + k carries 99 - k ms; every
// other row carries 0. So the latencies are exactly 1, 2, .., 100 ms once each and 900 zeros.
TEST_CASE("latency: records behind a stalled sink carry the stall (coordinated omission)") {
  constexpr int64_t kMs = 1'000'000;
  const SharedDataset data = make_trades(1000);
  LatencyHistogram expected;
  for (int64_t ms = 1; ms <= 100; ++ms) expected.record(static_cast<uint64_t>(ms * kMs));
  for (int i = 0; i < 900; ++i) expected.record(0);

  for (const char* strategy : {"direct", "adaptive", "streaming"}) {
    JobConfig config;
    config.batch_size = 100;
    LatencyRunOptions options;
    options.rate = 1000;
    auto clock = std::make_shared<LockstepClock>(1 * kMs);
    options.clock = clock;
    options.wrap_writer = [&clock](std::unique_ptr<DataWriter> inner, int) {
      return std::make_unique<StallOnceWriter>(std::move(inner), *clock, 99, 100 * kMs);
    };
    const LatencyRunResult r =
        run_latency_named(strategy, config, inputs_for(TestQueryKind::RowNumber, data), options);
    INFO(strategy << ": " << r.run.error);
    REQUIRE(r.run.ok);
    INFO("max " << r.latency.max() << " ns, mean " << r.latency.mean() << " ns, at or above 50 ms "
                << count_at_or_above(r.latency, 50 * kMs));
    REQUIRE(r.latency.count() == 1000);
    REQUIRE(r.latency.max() == static_cast<uint64_t>(100 * kMs));
    // 1 + 2 + .. + 100 ms over 1,000 rows.
    REQUIRE(r.latency.mean() == 5'050'000.0);
    // Row 99 and records 100..149: measured from their intended times, not their release at 199
    // ms (that would leave row 99 alone).
    REQUIRE(count_at_or_above(r.latency, 50 * kMs) == 51);
    REQUIRE(r.latency == expected);
    // The source waited on the stall: records 100..199 fell due behind record 100.
    REQUIRE(r.max_backlog == 99);
    // It caught up: the last record went out at its intended time, 999 ms after the first.
    REQUIRE(r.duration_ns == 999 * kMs);
    REQUIRE(r.achieved_rate == 1000.0);
  }
}
