// adaptive: the seeds' partitioned coordinator. One reader thread reads batches and routes each
// record into a bounded per-partition RecordQueue; N worker threads each own an engine, pop in
// bulk, process, and write to one shared writer (under a mutex) or to their own writer.
//
// Flow control is the queues' job: a full queue blocks the reader (backpressure), an empty one
// blocks its worker, and nobody sleeps in a loop. End of stream: the reader close()s every
// queue, the workers drain them, run finish() and exit. Any error: abort() every queue, which
// wakes a reader blocked on a full queue and every worker blocked on an empty one.
//
// Commits: each worker commits its writer after each batch it writes. The reader commits its
// source only once the whole job has succeeded: until a worker has written a record's output,
// the record is still in flight in a queue, and tracking per-record acknowledgements across
// partitions is more machinery than this benchmark needs. So after a failure
// records_committed is 0 and rows_committed counts the batches that workers had committed.
//
// Lent records: when the reader can lend its records (DataReader::read_view, for readers whose
// records outlive the job, such as the in-memory dataset of every benchmark run), they cross the
// queue as RecordPtrs made with adopt() that hold no reference of their own, and whoever drops
// them gives them back with release(). Copying shared pointers instead (DataReader::read) was
// the largest cost of this strategy: an atomic increment on every record by the reader, on one
// core, then an atomic decrement by the worker, on the other, so each record's cache line moved
// between the cores twice, and the reader did a cache miss per record that direct does not pay
// at all. With lending the reader never touches a record (with one partition, which needs no
// routing) and the worker reads it first, as direct does. Lent records must never be destroyed
// as owned: HandoffBatch and Shared's destructor are the places that give them back.
//
// Hand-off (JobConfig::handoff, harness/job/handoff.h): move passes each record's one reference
// (or lent pointer) into the queue; share and deep-copy push a new reference or a copy and the
// reader drops its own after the push, so they read owned records (never lent ones).
#include <atomic>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "harness/job/thread_placement.h"
#include "harness/strategies/job_loop.h"
#include "harness/strategies/job_parts.h"
#include "harness/strategies/partition_split.h"
#include "harness/strategies/strategy.h"

namespace sg {
namespace {

// A Batch that may hold lent records (see the top of this file). clear() and the destructor give
// lent ones back with release(), which leaves their counts alone; owned ones are dropped as usual.
// Lending is decided by the reader before its first push and never changes, so a batch holds only
// lent or only owned records.
class HandoffBatch {
 public:
  explicit HandoffBatch(const std::atomic<bool>& lent) : lent_(lent) {}
  HandoffBatch(const HandoffBatch&) = delete;
  HandoffBatch& operator=(const HandoffBatch&) = delete;
  ~HandoffBatch() { clear(); }

  Batch& items() { return items_; }
  void clear() {
    if (!items_.empty() && lent_.load(std::memory_order_acquire)) {
      for (RecordPtr& r : items_) (void)r.release();
    }
    items_.clear();
  }

 private:
  const std::atomic<bool>& lent_;
  Batch items_;
};

// Everything the threads share. Workers touch only their own slot plus the shared writer (under
// writer_mutex) and the failure flag.
struct Shared {
  const JobConfig& config;
  std::vector<std::unique_ptr<RecordQueue>> queues;
  std::vector<std::unique_ptr<Engine>> engines;
  std::vector<std::unique_ptr<DataWriter>> writers;  // one (shared) or one per partition
  std::mutex writer_mutex;
  std::atomic<bool> failed{false};
  // Set by the reader before its first push when its records are lent; read by whoever drops
  // records that came through a queue (the queue's own synchronisation orders the two).
  std::atomic<bool> lent{false};

  explicit Shared(const JobConfig& c) : config(c) {}
  // After an abort, queues can still hold records. Lent ones must be given back, not dropped by
  // the queues' destructors. Runs after every thread has been joined.
  ~Shared() {
    for (auto& q : queues) {
      HandoffBatch rest(lent);
      q->drain(rest.items());
    }
  }
  void abort_all() {
    failed = true;
    for (auto& q : queues) q->abort();
  }
};

struct ThreadOutcome {
  ThreadReport report;
  std::exception_ptr error;
  uint64_t records_processed = 0;
  uint64_t rows_produced = 0;
  uint64_t batches = 0;
  uint64_t locks_taken = 0;
};

class Router {
 public:
  Router(const JobConfig& config, const JobInputs& inputs)
      : partitions_(config.partitions), routing_(config.routing) {
    if (job_partitioning(config, inputs) == Partitioning::ByKey) query_ = inputs.query.get();
  }
  int route(const Record& r) {
    switch (routing_) {
      case Routing::Hash:
        // Stateless queries have no partition key: the row itself is a fine hash.
        return partition_of(query_ ? query_->partition_hash(r) : r.row_hash(), partitions_);
      case Routing::RoundRobin:
        next_ = next_ + 1 == partitions_ ? 0 : next_ + 1;
        return next_;
      case Routing::Sticky:
        // Every source partition stays with one worker, so per-source order is kept.
        return static_cast<int>(static_cast<uint32_t>(r.partition()) %
                                static_cast<uint32_t>(partitions_));
    }
    return 0;
  }

 private:
  int partitions_;
  Routing routing_;
  const CompiledQuery* query_ = nullptr;
  int next_ = -1;
};

// Reads the next batch into `in`: lent records when the reader lends them (decided by the first
// read, published in shared.lent before anything is pushed), else shared records. Returns
// whether the stream ended.
bool read_batch(Shared& shared, DataReader& reader, bool& first_read, Batch& in) {
  const size_t max = shared.config.batch_size;
  const bool lending = shared.lent.load(std::memory_order_relaxed);  // only this thread writes it
  if (lending || (first_read && shared.config.handoff == Handoff::Move)) {
    first_read = false;
    if (std::optional<ReadView> view = reader.read_view(max)) {
      if (!lending) shared.lent.store(true, std::memory_order_release);
      // The view's span is valid until the next read; the records it points to outlive the job.
      // Copying the pointers (not the shared pointers) touches no record. Sized first, so that
      // the copy is a plain loop (push_back re-checked the capacity on every record).
      const std::span<const RecordPtr> lent = view->records;
      const size_t old = in.size();
      in.resize(old + lent.size());
      RecordPtr* slot = in.data() + old;
      for (size_t i = 0; i < lent.size(); ++i) slot[i] = RecordPtr::adopt(lent[i].get());
      return view->end_of_stream;
    }
    if (lending) throw std::logic_error("adaptive: the reader stopped lending records part-way");
  }
  return reader.read(max, in).end_of_stream;
}

void reader_thread(Shared& shared, DataReader& reader, Router router, ThreadOutcome& outcome) {
  const JobConfig& config = shared.config;
  ThreadPin pin(config.pin_threads, static_cast<int>(shared.queues.size()));  // a helper's slot
  ThreadMeter meter("reader", config.phase_timing);
  const size_t n = shared.queues.size();
  HandoffBatch in(shared.lent);
  in.items().reserve(config.batch_size);
  std::vector<std::unique_ptr<HandoffBatch>> staged;
  const bool move = config.handoff == Handoff::Move;
  if (n > 1 || !move) {
    for (size_t p = 0; p < n; ++p) staged.push_back(std::make_unique<HandoffBatch>(shared.lent));
  }
  bool first_read = true;
  uint64_t since = meter.now();
  try {
    bool end_of_stream = false;
    while (!end_of_stream) {
      in.clear();
      end_of_stream = read_batch(shared, reader, first_read, in.items());
      meter.charge(Phase::Read, since);
      bool pushed = true;
      if (n == 1 && move) {  // nothing to route
        pushed = in.items().empty() || shared.queues[0]->push_bulk(in.items());
      } else {
        for (RecordPtr& r : in.items()) {
          const size_t p = n == 1 ? 0 : static_cast<size_t>(router.route(*r));
          staged[p]->items().push_back(hand_off(config.handoff, r));
        }
        for (size_t p = 0; p < n && pushed; ++p) {
          Batch& part = staged[p]->items();
          if (part.empty()) continue;
          pushed = shared.queues[p]->push_bulk(part);
          staged[p]->clear();  // all moved in; after an abort, gives the rest back
        }
        if (!move) in.clear();  // the reader drops its own references: part of handing off
      }
      // Pushes include any time blocked on a full queue (QueueStats::producer_waits counts them).
      meter.charge(Phase::Coordination, since);
      if (!pushed) break;  // aborted: a worker failed, it reports why
    }
    for (auto& q : shared.queues) q->close();
  } catch (...) {
    outcome.error = std::current_exception();
    shared.abort_all();
  }
  meter.charge(Phase::Coordination, since);
  outcome.report = meter.finish();
}

void write_rows(Shared& shared, size_t partition, Batch& out, ThreadMeter& meter, uint64_t& since,
                ThreadOutcome& outcome) {
  if (out.empty()) return;
  outcome.rows_produced += out.size();
  // As in every other strategy's loop (job_loop.cpp, direct), releasing the written rows is part
  // of writing and committing is coordination; only the wait for the shared writer's lock is
  // adaptive's own.
  if (shared.writers.size() == 1) {
    std::lock_guard lock(shared.writer_mutex);
    ++outcome.locks_taken;
    meter.charge(Phase::Coordination, since);
    shared.writers[0]->write(out);
    meter.charge(Phase::Write, since);
    shared.writers[0]->commit();
  } else {
    shared.writers[partition]->write(out);
    meter.charge(Phase::Write, since);
    shared.writers[partition]->commit();
  }
  meter.charge(Phase::Coordination, since);
  out.clear();  // outside the lock: another worker may write meanwhile
  meter.charge(Phase::Write, since);
}

void worker_thread(Shared& shared, size_t partition, ThreadOutcome& outcome) {
  const JobConfig& config = shared.config;
  ThreadPin pin(config.pin_threads, static_cast<int>(partition));
  ThreadMeter meter(fmt::format("worker {}", partition), config.phase_timing);
  RecordQueue& queue = *shared.queues[partition];
  Engine& engine = *shared.engines[partition];
  HandoffBatch in(shared.lent);  // gives lent records back however this function ends
  Batch out;
  in.items().reserve(config.batch_size);
  uint64_t since = meter.now();
  try {
    for (;;) {
      in.clear();
      // Up to a whole batch per pop: the engine gets the batches the reader read.
      const size_t popped = queue.pop_bulk(in.items(), config.batch_size);
      // Includes time blocked on an empty queue (QueueStats::consumer_waits counts them).
      meter.charge(Phase::Coordination, since);
      if (popped == 0) break;  // closed and drained, or aborted
      engine.process_batch(in.items(), out);
      outcome.records_processed += popped;
      ++outcome.batches;
      meter.charge(Phase::Engine, since);
      write_rows(shared, partition, out, meter, since, outcome);
    }
    if (!shared.failed) {
      engine.finish(out);
      meter.charge(Phase::Engine, since);
      write_rows(shared, partition, out, meter, since, outcome);
    }
  } catch (...) {
    outcome.error = std::current_exception();
    shared.abort_all();
  }
  outcome.report = meter.finish();
  outcome.report.records = outcome.records_processed;
}

class AdaptiveStrategy final : public Strategy {
 public:
  std::string_view name() const override { return "adaptive"; }
  StrategySettings settings() const override {
    return {{Setting::Partitions, Setting::Queue, Setting::QueueCapacity, Setting::Routing,
             Setting::WriterMode, Setting::EndOfStream, Setting::Handoff}};
  }
  // One worker does direct's engine and writes; its reader lends pointers (no work of direct's)
  // from a lent source, but reads and decodes beside the worker from any other.
  bool does_direct_work_plus_more(const JobConfig& config) const override {
    return config.partitions == 1 && config.source == SourceKind::Lent;
  }

 protected:
  std::optional<std::string> reject(const JobConfig& config, Partitioning partitioning,
                                    const JobInputs&) const override {
    if (partitioning == Partitioning::Single && config.partitions > 1)
      return "adaptive: query needs a single partition (ROWS window without PARTITION BY)";
    if (partitioning == Partitioning::ByKey && config.partitions > 1 &&
        config.routing != Routing::Hash)
      return fmt::format(
          "adaptive: --routing {} splits a key across workers, but the query keeps state per key "
          "(use --routing hash)",
          routing_name(config.routing));
    return std::nullopt;
  }

  void execute(const JobConfig& config, const JobInputs& inputs, RunResult& result) const override {
    const size_t n = static_cast<size_t>(config.partitions);
    std::unique_ptr<DataReader> reader = job_reader_factory(config, inputs)(0, 1);
    Shared shared(config);
    const size_t writer_count = config.writer_mode == WriterMode::Shared ? 1 : n;
    for (size_t p = 0; p < writer_count; ++p)
      shared.writers.push_back(make_job_writer(inputs, static_cast<int>(p)));

    ThreadMeter meter("job", config.phase_timing);
    uint64_t since = meter.now();
    for (size_t p = 0; p < n; ++p) {
      shared.queues.push_back(make_record_queue(config.queue, config.queue_capacity));
      shared.engines.push_back(make_job_engine(config, inputs, static_cast<int>(p)));
    }
    ThreadOutcome reader_outcome;
    std::vector<ThreadOutcome> worker_outcomes(n);
    std::vector<std::thread> threads;
    threads.reserve(n + 1);
    try {
      for (size_t p = 0; p < n; ++p)
        threads.emplace_back(worker_thread, std::ref(shared), p, std::ref(worker_outcomes[p]));
      threads.emplace_back(reader_thread, std::ref(shared), std::ref(*reader),
                           Router(config, inputs), std::ref(reader_outcome));
    } catch (...) {  // a thread could not start: wake and stop the ones that did
      shared.abort_all();
      for (std::thread& t : threads) t.join();
      throw;
    }
    meter.charge(Phase::Setup, since);
    for (std::thread& t : threads) t.join();
    meter.charge(Phase::Waiting, since);

    // The first error that is not a consequence of another: a reader error, else a worker's.
    std::exception_ptr error = reader_outcome.error;
    for (const ThreadOutcome& w : worker_outcomes)
      if (!error) error = w.error;
    if (error) {
      result.ok = false;
      result.error = describe_error(error);
    } else {
      reader->commit();
    }
    collect_reader(*reader, result);
    for (const ThreadOutcome& w : worker_outcomes) {
      result.records_processed += w.records_processed;
      result.rows_produced += w.rows_produced;
      result.batches += w.batches;
      result.locks_taken += w.locks_taken;
    }
    for (const auto& w : shared.writers) collect_writer(*w, result);
    for (const auto& e : shared.engines) collect_engine(*e, result);
    for (const auto& q : shared.queues) add_queue_stats(q->stats(), result.queue);
    meter.charge(Phase::Teardown, since);
    result.threads.push_back(meter.finish());
    result.wall_ns = result.threads.front().lifetime_ns;
    result.threads.push_back(std::move(reader_outcome.report));
    for (ThreadOutcome& w : worker_outcomes) result.threads.push_back(std::move(w.report));
  }

 private:
  static void add_queue_stats(const QueueStats& q, QueueStats& sum) {
    sum.items_pushed += q.items_pushed;
    sum.items_popped += q.items_popped;
    sum.push_calls += q.push_calls;
    sum.pop_calls += q.pop_calls;
    sum.producer_waits += q.producer_waits;
    sum.consumer_waits += q.consumer_waits;
    sum.wait_timeouts += q.wait_timeouts;
  }
};

}  // namespace

std::unique_ptr<Strategy> make_adaptive_strategy() {
  return std::make_unique<AdaptiveStrategy>();
}

}  // namespace sg
