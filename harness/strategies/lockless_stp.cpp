// lockless_stp: the seeds' "single-threaded pipeline per partition". The input is split into N
// partitions before timing (by the query's partition hash when it keeps state per key, round
// robin when it is stateless); each partition is a thread that owns its reader, its engine and
// its writer and shares no mutable state with the others, running the same run_job_loop as the
// lock strategies without any lock. The only shared thing is a cancel flag: when a partition
// fails, the others stop after their current batch.
#include <atomic>
#include <exception>
#include <thread>

#include <fmt/format.h>

#include "harness/job/thread_placement.h"
#include "harness/strategies/job_loop.h"
#include "harness/strategies/job_parts.h"
#include "harness/strategies/strategy.h"

namespace sg {
namespace {

struct PartitionRun {
  std::unique_ptr<DataReader> reader;
  std::unique_ptr<DataWriter> writer;
  std::unique_ptr<Engine> engine;
  LoopCounts counts;
  std::exception_ptr error;
  ThreadReport report;
};

class LocklessStpStrategy final : public Strategy {
 public:
  std::string_view name() const override { return "lockless_stp"; }
  // Its partitions share nothing: no queue, lock or routing to choose.
  StrategySettings settings() const override {
    return {{Setting::Partitions, Setting::EndOfStream}};
  }
  // One partition is direct's loop on a thread of its own; more split the work.
  bool does_direct_work_plus_more(const JobConfig& config) const override {
    return config.partitions == 1;
  }

 protected:
  std::optional<std::string> reject(const JobConfig& config, Partitioning partitioning,
                                    const JobInputs&) const override {
    if (partitioning == Partitioning::Single && config.partitions > 1)
      return "lockless_stp: query needs a single partition (ROWS window without PARTITION BY)";
    return std::nullopt;
  }

  void execute(const JobConfig& config, const JobInputs& inputs, RunResult& result) const override {
    const int n = config.partitions;
    std::vector<PartitionRun> runs(static_cast<size_t>(n));
    // Sources and sinks exist before timing starts (the split happens here).
    ReaderFactory readers = job_reader_factory(config, inputs);
    for (int p = 0; p < n; ++p) {
      runs[static_cast<size_t>(p)].reader = readers(p, n);
      runs[static_cast<size_t>(p)].writer = make_job_writer(inputs, p);
    }

    ThreadMeter meter("job", config.phase_timing);
    uint64_t since = meter.now();
    for (int p = 0; p < n; ++p)
      runs[static_cast<size_t>(p)].engine = make_job_engine(config, inputs, p);
    std::atomic<bool> cancel{false};
    std::vector<std::thread> threads;
    threads.reserve(static_cast<size_t>(n));
    try {
      // Last partition first: pinned, partition 0 shares this thread's CPU and starts working at
      // once, so starting it first would leave the others to be started whenever it gives this
      // thread the CPU back (a time slice, hundreds of us:
      // docs/design-notes.md#overhead-model-terms).
      for (int p = n - 1; p >= 0; --p) {
        threads.emplace_back([&config, &cancel, &run = runs[static_cast<size_t>(p)], p] {
          run_partition(config, run, p, cancel);
        });
      }
    } catch (...) {  // a thread could not start: stop the ones that did, then report
      cancel = true;
      for (std::thread& t : threads) t.join();
      throw;
    }
    meter.charge(Phase::Setup, since);
    for (std::thread& t : threads) t.join();
    meter.charge(Phase::Waiting, since);

    for (PartitionRun& run : runs) {
      if (run.error && result.ok) {  // the first failing partition explains the stop
        result.ok = false;
        result.error = describe_error(run.error);
      }
      result.records_processed += run.counts.records_processed;
      result.rows_produced += run.counts.rows_produced;
      result.batches += run.counts.batches;
      collect_reader(*run.reader, result);
      collect_writer(*run.writer, result);
      collect_engine(*run.engine, result);
    }
    meter.charge(Phase::Teardown, since);
    result.threads.push_back(meter.finish());
    result.wall_ns = result.threads.front().lifetime_ns;
    for (PartitionRun& run : runs) result.threads.push_back(std::move(run.report));
  }

 private:
  static void run_partition(const JobConfig& config, PartitionRun& run, int partition,
                            std::atomic<bool>& cancel) {
    ThreadPin pin(config.pin_threads, partition);
    ThreadMeter meter(fmt::format("partition {}", partition), config.phase_timing);
    std::unique_ptr<EngineAccess> access = unlocked_access(*run.engine);
    try {
      run_job_loop(*run.reader, *access, *run.writer, config.batch_size, meter, run.counts,
                   &cancel);
    } catch (...) {
      run.error = std::current_exception();
      cancel = true;
    }
    run.report = meter.finish();
    run.report.records = run.counts.records_processed;
  }
};

}  // namespace

std::unique_ptr<Strategy> make_lockless_stp_strategy() {
  return std::make_unique<LocklessStpStrategy>();
}

}  // namespace sg
