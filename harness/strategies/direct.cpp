// direct: the baseline. The engine runs over the records already in memory, a chunk of
// batch_size at a time; no reader, no lock, no queue, no thread. Output goes to the job's writer
// (a DigestWriter by default) so that it is digested exactly like every other strategy's.
// With a source other than `lent` (harness/job/source_kind.h) it reads them through that source
// on its own thread, so that its baseline pays what every other strategy's reader pays.
#include <algorithm>

#include "harness/strategies/job_loop.h"
#include "harness/strategies/job_parts.h"
#include "harness/strategies/strategy.h"

namespace sg {
namespace {

class DirectStrategy final : public Strategy {
 public:
  std::string_view name() const override { return "direct"; }
  // One engine on the calling thread: nothing to split, queue or lock.
  StrategySettings settings() const override { return {}; }

 protected:
  std::optional<std::string> reject(const JobConfig& config, Partitioning,
                                    const JobInputs& inputs) const override {
    if (config.partitions != 1) return "direct: --partitions has no meaning (one engine, no split)";
    if (!inputs.dataset) return "direct: runs over an in-memory dataset, and the job has none";
    return std::nullopt;
  }

  void execute(const JobConfig& config, const JobInputs& inputs, RunResult& result) const override {
    // An open-loop source paces the records, and a shared or materialized one is read: the same
    // loop, one engine, no lock, reading them.
    if (inputs.open_loop || config.source != SourceKind::Lent) {
      return run_single_loop_job(
          config, inputs, [](Engine& e, LockKind) { return unlocked_access(e); }, result);
    }
    const std::vector<RecordPtr>& records = inputs.dataset->records;
    std::unique_ptr<DataWriter> writer = make_job_writer(inputs, 0);

    ThreadMeter meter("job", config.phase_timing);
    uint64_t since = meter.now();
    std::unique_ptr<Engine> engine = make_job_engine(config, inputs, 0);
    Batch out;
    out.reserve(config.batch_size);
    meter.charge(Phase::Setup, since);

    try {
      for (size_t begin = 0; begin < records.size(); begin += config.batch_size) {
        const size_t end = std::min(records.size(), begin + config.batch_size);
        engine->process_batch(std::span(records).subspan(begin, end - begin), out);
        result.records_processed += end - begin;
        ++result.batches;
        meter.charge(Phase::Engine, since);
        write_and_commit(*writer, out, result, meter, since);
        result.records_committed = end;
      }
      engine->finish(out);
      meter.charge(Phase::Engine, since);
      write_and_commit(*writer, out, result, meter, since);
    } catch (...) {
      result.ok = false;
      result.error = describe_error(std::current_exception());
    }
    since = meter.now();
    result.records_read = result.records_processed;  // no reader: what was handed to the engine
    collect_writer(*writer, result);
    collect_engine(*engine, result);
    meter.charge(Phase::Teardown, since);
    result.threads.push_back(meter.finish());
    result.wall_ns = result.threads.front().lifetime_ns;
  }

 private:
  static void write_and_commit(DataWriter& writer, Batch& out, RunResult& result,
                               ThreadMeter& meter, uint64_t& since) {
    if (!out.empty()) {
      result.rows_produced += out.size();
      writer.write(out);
      out.clear();
      meter.charge(Phase::Write, since);
    }
    writer.commit();
    meter.charge(Phase::Coordination, since);
  }
};

}  // namespace

std::unique_ptr<Strategy> make_direct_strategy() {
  return std::make_unique<DirectStrategy>();
}

}  // namespace sg
