#include "harness/strategies/result_stream.h"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "harness/job/thread_placement.h"

namespace sg {
namespace {

// Runs the engine one chunk at a time in whichever thread calls produce_next(). The chunks are
// sliced from the records, or read from StreamOptions::source when one is given.
class ChunkProducer {
 public:
  ChunkProducer(std::unique_ptr<Engine> engine, SharedDataset records, size_t chunk_size,
                DataReader* source)
      : engine_(std::move(engine)),
        records_(std::move(records)),
        chunk_size_(chunk_size),
        source_(source) {}

  bool has_source() const { return source_ != nullptr; }
  // With a source: reads its next chunk (an open-loop source waits until records are due) for
  // the next produce_next(). No effect without a source, with a chunk read, or after its end.
  void read_next() {
    if (!source_ || source_ended_ || !input_.empty()) return;
    source_ended_ = source_->read(chunk_size_, input_).end_of_stream;
  }

  // Appends the output of the next chunk (possibly nothing) and returns true, or returns false
  // when everything, finish() included, has been produced.
  bool produce_next(Batch& out) {
    if (source_) {
      read_next();
      if (!input_.empty()) {
        process(input_, out);
        source_->commit();
        input_.clear();
        return true;
      }
      if (!source_ended_) return true;
    } else if (position_ < records_->records.size()) {
      const auto& all = records_->records;
      process(std::span(all).subspan(position_, std::min(chunk_size_, all.size() - position_)),
              out);
      return true;
    }
    if (finished_) return false;
    finished_ = true;
    const size_t before = out.size();
    engine_->finish(out);
    stats_.rows_produced += out.size() - before;
    return true;
  }
  uint64_t position() const { return position_; }
  StreamStats stats() const {
    StreamStats stats = stats_;
    if (engine_) stats.engine = engine_->stats();
    return stats;
  }
  // Frees the engine, keeping its stats, and the read buffer on the calling thread
  // (result_stream.h says why).
  void release_engine() {
    Batch().swap(input_);
    if (!engine_) return;
    stats_.engine = engine_->stats();
    engine_.reset();
  }

 private:
  void process(std::span<const RecordPtr> chunk, Batch& out) {
    const size_t before = out.size();
    engine_->process_batch(chunk, out);
    position_ += chunk.size();
    stats_.records_processed += chunk.size();
    stats_.rows_produced += out.size() - before;
    ++stats_.batches;
  }

  std::unique_ptr<Engine> engine_;
  SharedDataset records_;
  size_t chunk_size_;
  DataReader* source_;
  Batch input_;  // the chunk read from source_
  bool source_ended_ = false;
  size_t position_ = 0;
  bool finished_ = false;
  StreamStats stats_;
};

class SpawnlessStream final : public ResultStream {
 public:
  SpawnlessStream(std::unique_ptr<Engine> engine, SharedDataset records, size_t chunk_size,
                  DataReader* source)
      : producer_(std::move(engine), std::move(records), chunk_size, source) {}
  bool next_batch(Batch& out) override {
    const size_t before = out.size();
    while (out.size() == before) {
      if (!producer_.produce_next(out)) {
        delivered_ = producer_.position();  // records without output are delivered too
        return false;
      }
    }
    delivered_ = producer_.position();
    return true;
  }
  uint64_t records_delivered() const override { return delivered_; }
  void pause() override {}
  void resume() override {}
  bool pause_state_allocated() const override { return false; }
  void stop() override {}
  StreamStats stats() const override { return producer_.stats(); }
  std::optional<ThreadReport> producer_report() const override { return std::nullopt; }

 private:
  ChunkProducer producer_;
  uint64_t delivered_ = 0;
};

// What pause()/resume() need. Eager streams allocate it up front, lazy ones on first pause().
struct PauseState {
  std::mutex mutex;
  std::condition_variable resumed;
  bool paused = false;
};

class ThreadedStream final : public ResultStream {
 public:
  ThreadedStream(std::unique_ptr<Engine> engine, SharedDataset records,
                 const StreamOptions& options)
      : producer_(std::move(engine), std::move(records), options.chunk_size, options.source),
        capacity_(std::max<size_t>(1, options.channel_capacity)),
        phase_timing_(options.phase_timing),
        producer_slot_(options.producer_slot),
        ends_with_stop_(options.mode != StreamingMode::Pooled),
        slots_(capacity_) {
    if (options.mode != StreamingMode::Lazy) allocate_pause_state();
    if (options.mode == StreamingMode::Pooled) {
      producer_lease_ = options.pool->start([this] { produce(); });
    } else {
      thread_ = std::thread([this] { produce(); });
    }
  }
  ~ThreadedStream() override { stop(); }

  void stop() override {
    {
      std::lock_guard lock(mutex_);
      cancelled_ = true;
    }
    not_full_.notify_all();  // a producer waiting for room, or for this call to end
    if (PauseState* p = pause_.load(std::memory_order_acquire)) {
      std::lock_guard lock(p->mutex);
      p->resumed.notify_all();
    }
    join_producer();
  }

  bool next_batch(Batch& out) override {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [this] { return count_ > 0 || done_; });
    if (count_ == 0) {
      // done_ was set after the producer's stats, report and error: safe to read from here on.
      const std::exception_ptr error = error_;
      lock.unlock();
      if (!ends_with_stop_) join_producer();  // a pooled thread goes back to its pool now
      if (error) std::rethrow_exception(error);
      delivered_ = producer_.position();  // records without output are delivered too
      return false;
    }
    Item item = std::move(slots_[head_]);
    head_ = (head_ + 1) % capacity_;
    --count_;
    lock.unlock();
    not_full_.notify_one();
    if (out.empty()) {
      out.swap(item.rows);
    } else {
      out.insert(out.end(), item.rows.begin(), item.rows.end());
    }
    delivered_ = item.records_through;
    return true;
  }
  uint64_t records_delivered() const override { return delivered_; }

  void pause() override {
    if (!pause_.load(std::memory_order_acquire)) allocate_pause_state();
    PauseState* p = pause_.load(std::memory_order_acquire);
    std::lock_guard lock(p->mutex);
    p->paused = true;
  }
  void resume() override {
    PauseState* p = pause_.load(std::memory_order_acquire);
    if (!p) return;
    {
      std::lock_guard lock(p->mutex);
      p->paused = false;
    }
    p->resumed.notify_all();
  }
  bool pause_state_allocated() const override {
    return pause_.load(std::memory_order_acquire) != nullptr;
  }
  StreamStats stats() const override { return producer_.stats(); }
  std::optional<ThreadReport> producer_report() const override { return report_; }

 private:
  struct Item {
    Batch rows;
    uint64_t records_through;
  };

  void allocate_pause_state() {
    // Only the consumer allocates, so there is no race to publish; the producer reads it.
    pause_owner_ = std::make_unique<PauseState>();
    pause_.store(pause_owner_.get(), std::memory_order_release);
  }

  void produce() {
    ThreadPin pin(producer_slot_ >= 0, std::max(producer_slot_, 0));
    ThreadMeter meter("producer", phase_timing_);
    uint64_t since = meter.now();
    try {
      Batch rows;
      for (;;) {
        if (PauseState* p = pause_.load(std::memory_order_acquire)) {
          std::unique_lock lock(p->mutex);
          p->resumed.wait(lock, [&] { return !p->paused || is_cancelled(); });
          meter.charge(Phase::Waiting, since);
        }
        if (producer_.has_source()) {
          producer_.read_next();
          meter.charge(Phase::Read, since);
        }
        if (!producer_.produce_next(rows)) break;
        meter.charge(Phase::Engine, since);
        if (rows.empty()) continue;
        std::unique_lock lock(mutex_);
        if (count_ >= capacity_) {
          not_full_.wait(lock, [this] { return count_ < capacity_ || cancelled_; });
          meter.charge(Phase::Waiting, since);
        }
        if (cancelled_) break;
        slots_[(head_ + count_) % capacity_] = Item{std::move(rows), producer_.position()};
        ++count_;
        lock.unlock();
        not_empty_.notify_one();
        rows = Batch();
        meter.charge(Phase::Coordination, since);
      }
    } catch (...) {
      std::lock_guard lock(mutex_);
      error_ = std::current_exception();
    }
    producer_.release_engine();
    meter.charge(Phase::Teardown, since);
    // The report covers the producer's work up to here; waiting for stop() below is not work.
    report_ = meter.finish();
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    not_empty_.notify_all();
    if (ends_with_stop_) {
      std::unique_lock lock(mutex_);
      not_full_.wait(lock, [this] { return cancelled_; });
    }
  }

  void join_producer() {
    if (thread_.joinable()) thread_.join();
    if (producer_lease_.joinable()) producer_lease_.join();
  }

  bool is_cancelled() {
    std::lock_guard lock(mutex_);
    return cancelled_;
  }

  ChunkProducer producer_;  // used by the producer thread only, until it is joined
  const size_t capacity_;
  const bool phase_timing_;
  const int producer_slot_;  // < 0: not pinned
  // A thread per query ends in stop() (result_stream.h says why); a pooled one when it is done.
  const bool ends_with_stop_;
  std::mutex mutex_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;  // also: stop() was called
  // The channel: a ring of capacity_ batches, allocated here by the consumer, so that no slot's
  // memory belongs to the producer thread (a std::deque would allocate nodes as it pushes).
  std::vector<Item> slots_;
  size_t head_ = 0;
  size_t count_ = 0;
  bool done_ = false;
  bool cancelled_ = false;
  std::exception_ptr error_;
  std::unique_ptr<PauseState> pause_owner_;
  std::atomic<PauseState*> pause_{nullptr};
  uint64_t delivered_ = 0;              // consumer side
  std::optional<ThreadReport> report_;  // written by the producer before it exits
  // Last: the producer starts once every member above exists. One of the two runs it.
  std::thread thread_;
  ProducerPool::Lease producer_lease_;
};

}  // namespace

const char* streaming_mode_description(StreamingMode mode) {
  switch (mode) {
    case StreamingMode::Eager:
      return "a producer thread per query, a bounded channel, pause/resume state up front";
    case StreamingMode::Lazy:
      return "eager, with the pause/resume state made on the first pause() only";
    case StreamingMode::Spawnless:
      return "no thread, no channel: the engine runs in the caller's thread as it pulls";
    case StreamingMode::Pooled:
      return "eager, on a parked thread of a pool that outlives the query (no thread start)";
  }
  return "?";
}

std::unique_ptr<ResultStream> execute(std::unique_ptr<Engine> engine, SharedDataset records,
                                      const StreamOptions& options) {
  assert(engine && records && options.chunk_size > 0 && "execute() needs an engine and records");
  if (options.mode == StreamingMode::Pooled && options.pool == nullptr)
    throw std::invalid_argument("execute(): a pooled stream needs StreamOptions::pool");
  if (options.mode == StreamingMode::Spawnless)
    return std::make_unique<SpawnlessStream>(std::move(engine), std::move(records),
                                             options.chunk_size, options.source);
  return std::make_unique<ThreadedStream>(std::move(engine), std::move(records), options);
}

}  // namespace sg
