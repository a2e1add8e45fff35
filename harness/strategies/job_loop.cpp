#include "harness/strategies/job_loop.h"

#include <cassert>
#include <mutex>
#include <shared_mutex>

namespace sg {
namespace {

class Unlocked final : public EngineAccess {
 public:
  explicit Unlocked(Engine& engine) : engine_(engine) {}
  void process(std::span<const RecordPtr> in, Batch& out, ThreadMeter& meter,
               uint64_t& since) override {
    engine_.process_batch(in, out);
    meter.charge(Phase::Engine, since);
  }
  void finish(Batch& out, ThreadMeter& meter, uint64_t& since) override {
    engine_.finish(out);
    meter.charge(Phase::Engine, since);
  }

 private:
  Engine& engine_;
};

// std::mutex or std::shared_mutex; both are taken exclusively (the engine mutates its state).
template <class Mutex>
class PerRecordLock final : public EngineAccess {
 public:
  explicit PerRecordLock(Engine& engine) : engine_(engine) {}
  void process(std::span<const RecordPtr> in, Batch& out, ThreadMeter& meter,
               uint64_t& since) override {
    for (const RecordPtr& record : in) {
      mutex_.lock();
      meter.charge(Phase::Coordination, since);  // lock (and the previous unlock)
      engine_.process(record, out);
      meter.charge(Phase::Engine, since);
      mutex_.unlock();
    }
    locks_taken_ += in.size();
    meter.charge(Phase::Coordination, since);  // the last unlock
  }
  void finish(Batch& out, ThreadMeter& meter, uint64_t& since) override {
    std::lock_guard lock(mutex_);
    ++locks_taken_;
    meter.charge(Phase::Coordination, since);
    engine_.finish(out);
    meter.charge(Phase::Engine, since);
  }

 private:
  Engine& engine_;
  Mutex mutex_;
};

template <class Mutex>
class BatchLock final : public EngineAccess {
 public:
  explicit BatchLock(Engine& engine) : engine_(engine) {}
  void process(std::span<const RecordPtr> in, Batch& out, ThreadMeter& meter,
               uint64_t& since) override {
    mutex_.lock();
    ++locks_taken_;
    meter.charge(Phase::Coordination, since);
    engine_.process_batch(in, out);
    meter.charge(Phase::Engine, since);
    mutex_.unlock();
    meter.charge(Phase::Coordination, since);
  }
  void finish(Batch& out, ThreadMeter& meter, uint64_t& since) override {
    std::lock_guard lock(mutex_);
    ++locks_taken_;
    meter.charge(Phase::Coordination, since);
    engine_.finish(out);
    meter.charge(Phase::Engine, since);
  }

 private:
  Engine& engine_;
  Mutex mutex_;
};

}  // namespace

std::unique_ptr<EngineAccess> unlocked_access(Engine& engine) {
  return std::make_unique<Unlocked>(engine);
}

std::unique_ptr<EngineAccess> per_record_lock_access(Engine& engine, LockKind lock) {
  if (lock == LockKind::RwLock) return std::make_unique<PerRecordLock<std::shared_mutex>>(engine);
  return std::make_unique<PerRecordLock<std::mutex>>(engine);
}

std::unique_ptr<EngineAccess> batch_lock_access(Engine& engine, LockKind lock) {
  if (lock == LockKind::RwLock) return std::make_unique<BatchLock<std::shared_mutex>>(engine);
  return std::make_unique<BatchLock<std::mutex>>(engine);
}

bool run_job_loop(DataReader& reader, EngineAccess& engine, DataWriter& writer, size_t batch_size,
                  ThreadMeter& meter, LoopCounts& counts, const std::atomic<bool>* cancel) {
  assert(batch_size > 0 && "batch size must be positive");
  Batch in;
  Batch out;
  in.reserve(batch_size);
  out.reserve(batch_size);
  uint64_t since = meter.now();
  bool end_of_stream = false;
  while (!end_of_stream) {
    if (cancel && cancel->load(std::memory_order_relaxed)) return false;
    in.clear();  // drops the previous batch's references here, charged to reading
    std::span<const RecordPtr> batch;
    if (std::optional<ReadView> view = reader.read_view(batch_size)) {
      batch = view->records;  // lent: no reference counting, as in direct
      end_of_stream = view->end_of_stream;
    } else {
      end_of_stream = reader.read(batch_size, in).end_of_stream;
      batch = in;
    }
    meter.charge(Phase::Read, since);
    if (!batch.empty()) {
      engine.process(batch, out, meter, since);
      counts.records_processed += batch.size();
      ++counts.batches;
    }
    if (end_of_stream) engine.finish(out, meter, since);
    if (!out.empty()) {
      counts.rows_produced += out.size();
      writer.write(out);
      out.clear();
      meter.charge(Phase::Write, since);
    }
    writer.commit();
    reader.commit();
    meter.charge(Phase::Coordination, since);
  }
  return true;
}

std::string describe_error(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const SourceError& e) {
    return std::string("source error: ") + e.what();
  } catch (const SinkError& e) {
    return std::string("sink error: ") + e.what();
  } catch (const EngineError& e) {
    return std::string("engine error: ") + e.what();
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown error";
  }
}

}  // namespace sg

#include "harness/strategies/job_parts.h"

namespace sg {

void run_single_loop_job(const JobConfig& config, const JobInputs& inputs, AccessMaker make_access,
                         RunResult& result) {
  std::unique_ptr<DataReader> reader = job_reader_factory(config, inputs)(0, 1);
  std::unique_ptr<DataWriter> writer = make_job_writer(inputs, 0);

  ThreadMeter meter("job", config.phase_timing);
  uint64_t since = meter.now();
  std::unique_ptr<Engine> engine = make_job_engine(config, inputs, 0);
  std::unique_ptr<EngineAccess> access = make_access(*engine, config.lock);
  meter.charge(Phase::Setup, since);

  LoopCounts counts;
  try {
    run_job_loop(*reader, *access, *writer, config.batch_size, meter, counts);
  } catch (...) {
    result.ok = false;
    result.error = describe_error(std::current_exception());
  }
  since = meter.now();
  result.records_processed = counts.records_processed;
  result.rows_produced = counts.rows_produced;
  result.batches = counts.batches;
  result.locks_taken = access->locks_taken();
  collect_reader(*reader, result);
  collect_writer(*writer, result);
  collect_engine(*engine, result);
  meter.charge(Phase::Teardown, since);
  result.threads.push_back(meter.finish());
  result.wall_ns = result.threads.front().lifetime_ns;
}

}  // namespace sg
