// The read -> process -> write -> commit loop, written once.
//
// per_record_lock, batch_lock and each partition of lockless_stp run this same loop; only the
// EngineAccess differs (a lock per record, a lock per batch, no lock). So whatever separates their
// timings is the locking and nothing else (the Disruptor perftest discipline: one harness, one
// variable).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <span>
#include <string>

#include "engine/engine.h"
#include "harness/job/data_reader.h"
#include "harness/job/data_writer.h"
#include "harness/job/job.h"
#include "harness/job/run_stats.h"

namespace sg {

// How the loop reaches the engine. process() and finish() charge their own time (engine work
// to Phase::Engine, lock acquisition to Phase::Coordination) so that the split is honest.
class EngineAccess {
 public:
  virtual ~EngineAccess() = default;
  virtual void process(std::span<const RecordPtr> in, Batch& out, ThreadMeter& meter,
                       uint64_t& since) = 0;
  virtual void finish(Batch& out, ThreadMeter& meter, uint64_t& since) = 0;
  uint64_t locks_taken() const { return locks_taken_; }

 protected:
  uint64_t locks_taken_ = 0;
};

// The engine is this thread's alone: no lock.
std::unique_ptr<EngineAccess> unlocked_access(Engine& engine);
// A shared engine behind a lock taken (exclusively) around every record.
std::unique_ptr<EngineAccess> per_record_lock_access(Engine& engine, LockKind lock);
// A shared engine behind a lock taken once per batch.
std::unique_ptr<EngineAccess> batch_lock_access(Engine& engine, LockKind lock);

struct LoopCounts {
  uint64_t records_processed = 0;
  uint64_t rows_produced = 0;
  uint64_t batches = 0;
};

// Runs until the reader reports end of stream: read a batch, process it, write its output,
// commit the writer and then the reader (so a committed record always has committed output).
// At end of stream, engine finish() output is written in the same step. Exceptions (SourceError,
// SinkError, EngineError) propagate; `counts` holds what happened up to then.
// `cancel` (optional) is checked before every read: when another thread of the job has failed,
// the loop returns after its last complete, committed batch, without calling finish().
// Returns false when cancelled.
bool run_job_loop(DataReader& reader, EngineAccess& engine, DataWriter& writer, size_t batch_size,
                  ThreadMeter& meter, LoopCounts& counts,
                  const std::atomic<bool>* cancel = nullptr);

// "source error: ...", "sink error: ...", "engine error: ...", or the message itself.
std::string describe_error(const std::exception_ptr& error);

}  // namespace sg

namespace sg {

// The whole single-threaded job around run_job_loop, for the strategies that share one engine:
// reader and writer made before timing, then on the calling thread: the engine (Setup), the loop,
// and the counts (Teardown). `make_access` wraps the engine in the strategy's locking.
using AccessMaker = std::unique_ptr<EngineAccess> (*)(Engine&, LockKind);
void run_single_loop_job(const JobConfig& config, const JobInputs& inputs, AccessMaker make_access,
                         RunResult& result);

}  // namespace sg
