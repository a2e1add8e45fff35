// A pull stream of query results over records in memory: execute() starts it, next_batch()
// pulls. This is the seeds' streaming result pipeline (seed 000), rebuilt so that its three
// start-up designs can be measured against each other and against direct:
//   eager      a producer thread, a bounded channel, and pause/resume state allocated up front
//              (the seed's design before its plan);
//   lazy       the same, but the pause/resume state is allocated on the first pause() only
//              (the seed's Phase 6);
//   spawnless  no thread and no channel: the engine runs in the caller's thread, one chunk per
//              next_batch() (the seed's Phase 7);
//   pooled     eager, but the producer loop runs on a parked thread of a ProducerPool that
//              outlives the query (the seed's tokio::spawn onto running workers), so no thread
//              is started or ends per query (harness/strategies/producer_pool.h says what that
//              saves).
//
// A thread per query (eager, lazy) ends when its stream is stopped or destroyed, not when it has
// produced everything, and it frees its engine before it waits for that. Why: mimalloc 2.0
// abandons the memory of a thread that exits while blocks it allocated are still in use (its
// output batches, its engine's state; the channel's slots are allocated by the consumer for this
// reason), and an exit with abandoned memory is slow (docs/design-notes.md#thread-exit-in-stop).
// A consumer that has released the rows it pulled before stop() (as the streaming strategy does)
// lets the producer exit with all its memory free.
// Nothing else waits on that thread meanwhile.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "engine/engine.h"
#include "harness/job/data_reader.h"
#include "harness/job/dataset.h"
#include "harness/job/job.h"
#include "harness/job/run_stats.h"
#include "harness/strategies/producer_pool.h"

namespace sg {

struct StreamOptions {
  StreamingMode mode = StreamingMode::Eager;
  size_t chunk_size = 1000;      // records per engine call
  size_t channel_capacity = 16;  // batches the producer may run ahead (eager and lazy)
  bool phase_timing = true;      // for the producer thread's report
  // >= 0: the producer thread pins itself to this slot (harness/job/thread_placement.h).
  int producer_slot = -1;
  // Pooled mode only, and required there: where the producer runs. Must outlive the stream.
  ProducerPool* pool = nullptr;
  // Optional: the chunks are read from this reader (at most chunk_size a read; an open-loop
  // source paces them, harness/latency/) instead of sliced from the records. Read on the
  // producer's thread (the caller's, spawn-less); must outlive the stream.
  DataReader* source = nullptr;
};

struct StreamStats {
  uint64_t records_processed = 0;
  uint64_t rows_produced = 0;
  uint64_t batches = 0;  // engine calls with records
  EngineStats engine;    // the stream's engine, which it frees once it has finished
};

class ResultStream {
 public:
  virtual ~ResultStream() = default;
  // Appends the next rows (at least one) and returns true, or returns false once the stream is
  // exhausted. Rethrows an error raised while producing (EngineError).
  virtual bool next_batch(Batch& out) = 0;
  // Input records all of whose output rows next_batch() has handed out so far.
  virtual uint64_t records_delivered() const = 0;
  // Holds the producer before its next chunk until resume(). No effect on a spawn-less stream,
  // which only produces while it is pulled.
  virtual void pause() = 0;
  virtual void resume() = 0;
  virtual bool pause_state_allocated() const = 0;
  // Stops producing and joins the producer (idempotent; the destructor calls it). For a consumer
  // that gives up early, e.g. because its sink failed, before it reads stats(). A thread per
  // query waits for this to end (above): release the rows pulled before calling it.
  virtual void stop() = 0;
  // Complete once next_batch() returned false or threw, or after stop().
  virtual StreamStats stats() const = 0;
  // The producer thread's report (eager and lazy), at the same moments as stats().
  virtual std::optional<ThreadReport> producer_report() const = 0;
};

// One line on each design above, for `streamgauge list`.
const char* streaming_mode_description(StreamingMode mode);

// Starts streaming `records` through `engine`. The stream keeps both alive. Destroying a stream
// before its end stops and joins its producer.
std::unique_ptr<ResultStream> execute(std::unique_ptr<Engine> engine, SharedDataset records,
                                      const StreamOptions& options);

}  // namespace sg
