// streaming: the query's results as a pull stream (result_stream.h), consumed by the job thread
// into the writer. Reports the start-up cost apart from the total: execute() -> stream ready,
// and execute() -> first row, so the fixed cost of each design (eager, lazy, spawn-less, pooled)
// and its share of the gap to direct at 10K / 100K / 1M rows can be read off the result.
//
// Pooled streams take their producer from this strategy object's pool, which lives as long as
// the object: a matrix cell keeps one strategy for all its passes, so the thread is started in
// the first pass (a warm-up, by default) and reused by the timed ones, as a server would reuse
// its runtime's threads across queries. Destroying the strategy joins the pool's threads.
//
// Under an open-loop source (a latency run) the stream reads its chunks from the job's reader,
// which paces them, instead of slicing the dataset; a spawn-less stream's read waits count in
// the job thread's pull phase. A shared or materialized source (harness/job/source_kind.h) is
// read the same way, on the producer's thread.
#include <algorithm>

#include "harness/strategies/job_loop.h"
#include "harness/strategies/job_parts.h"
#include "harness/strategies/producer_pool.h"
#include "harness/strategies/result_stream.h"
#include "harness/strategies/strategy.h"

namespace sg {
namespace {

class StreamingStrategy final : public Strategy {
 public:
  std::string_view name() const override { return "streaming"; }
  // Queue capacity sizes the channel between producer and consumer.
  StrategySettings settings() const override {
    return {{Setting::QueueCapacity, Setting::StreamingMode}};
  }
  // Eager and lazy run the engine on a producer thread while the job thread writes: the two
  // overlap, so they may beat direct by up to the smaller of the two. Spawn-less runs both on
  // the caller, as direct does.
  bool does_direct_work_plus_more(const JobConfig& config) const override {
    return config.streaming == StreamingMode::Spawnless;
  }

 protected:
  std::optional<std::string> reject(const JobConfig& config, Partitioning,
                                    const JobInputs& inputs) const override {
    if (config.partitions != 1)
      return "streaming: --partitions has no meaning (one producer, one consumer)";
    if (!inputs.dataset) return "streaming: runs over an in-memory dataset, and the job has none";
    return std::nullopt;
  }

  void execute(const JobConfig& config, const JobInputs& inputs, RunResult& result) const override {
    std::unique_ptr<DataWriter> writer = make_job_writer(inputs, 0);
    StreamOptions options;
    options.mode = config.streaming;
    options.chunk_size = config.batch_size;
    // The channel holds about queue_capacity records' worth of output batches.
    options.channel_capacity = std::max<size_t>(2, config.queue_capacity / config.batch_size);
    options.phase_timing = config.phase_timing;
    // The consumer (this thread) holds slot 0; the producer runs beside it.
    if (config.pin_threads) options.producer_slot = 1;
    if (config.streaming == StreamingMode::Pooled) options.pool = &pool_;

    // Declared before the stream, which reads it until it is stopped. A shared or materialized
    // source is made before timing, as every strategy's reader is; an open-loop one is started
    // with the job.
    std::unique_ptr<DataReader> source;
    const bool read_source = config.source != SourceKind::Lent && !inputs.open_loop;
    if (read_source) source = job_reader_factory(config, inputs)(0, 1);
    ThreadMeter meter("job", config.phase_timing);
    uint64_t since = meter.now();
    if (inputs.open_loop) source = job_reader_factory(config, inputs)(0, 1);
    options.source = source.get();
    std::unique_ptr<Engine> engine = make_job_engine(config, inputs, 0);
    StartupTimes startup;
    const uint64_t started = PhaseClock::now_ns();  // measured even with phase timing off
    std::unique_ptr<ResultStream> stream = sg::execute(std::move(engine), inputs.dataset, options);
    startup.to_stream_ready_ns = PhaseClock::now_ns() - started;
    meter.charge(Phase::Setup, since);

    // A spawn-less stream runs the engine inside next_batch(); a threaded one waits there.
    const Phase pull_phase =
        config.streaming == StreamingMode::Spawnless ? Phase::Engine : Phase::Waiting;
    Batch out;
    try {
      while (stream->next_batch(out)) {
        if (startup.to_first_row_ns == 0) startup.to_first_row_ns = PhaseClock::now_ns() - started;
        meter.charge(pull_phase, since);
        writer->write(out);
        out.clear();
        meter.charge(Phase::Write, since);
        writer->commit();
        result.records_committed = stream->records_delivered();
        meter.charge(Phase::Coordination, since);
      }
      meter.charge(pull_phase, since);
      result.records_committed = stream->records_delivered();
    } catch (...) {
      result.ok = false;
      result.error = describe_error(std::current_exception());
    }
    // The last batch's buffer came from the producer thread: free it before that thread ends
    // (result_stream.h says why a thread per query ends in stop()).
    Batch().swap(out);
    stream->stop();
    meter.charge(Phase::Teardown, since);
    const StreamStats stats = stream->stats();
    result.records_processed = stats.records_processed;
    // Without a reader, what was handed to the engine counts as read.
    result.records_read = source ? source->records_read() : stats.records_processed;
    result.rows_produced = stats.rows_produced;
    result.batches = stats.batches;
    result.startup = startup;
    collect_writer(*writer, result);
    collect_engine(stats.engine, result);
    std::optional<ThreadReport> producer = stream->producer_report();
    stream.reset();  // frees the engine and the channel: part of the job's teardown
    meter.charge(Phase::Teardown, since);
    result.threads.push_back(meter.finish());
    result.wall_ns = result.threads.front().lifetime_ns;
    if (producer) result.threads.push_back(std::move(*producer));
  }

  // Thread-safe, so a const run() may lease from it; mutable because leasing changes it.
  mutable ProducerPool pool_;
};

}  // namespace

std::unique_ptr<Strategy> make_streaming_strategy() {
  return std::make_unique<StreamingStrategy>();
}

}  // namespace sg
