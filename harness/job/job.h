// What a job is: its configuration (JobConfig), what it runs on (JobInputs) and what a run
// reports (RunResult). Every strategy takes the same two inputs and fills the same result, so a
// matrix can put any two runs side by side.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "engine/engine.h"
#include "engine/query.h"
#include "harness/job/data_reader.h"
#include "harness/job/data_writer.h"
#include "harness/job/dataset.h"
#include "harness/job/digest.h"
#include "harness/job/handoff.h"
#include "harness/job/output_fingerprint.h"
#include "harness/job/run_stats.h"
#include "harness/job/source_kind.h"
#include "harness/queues/record_queue.h"

namespace sg {

enum class EngineKind { Sql, Passthrough };
enum class LockKind { Mutex, RwLock };                // per_record_lock, batch_lock
enum class Routing { Hash, RoundRobin, Sticky };      // adaptive
enum class WriterMode { Shared, PerPartition };       // adaptive
enum class StreamingMode { Eager, Lazy, Spawnless, Pooled };  // streaming (result_stream.h)

// Names as the command line spells them ("sql", "rwlock", "round_robin", "per_partition", ...).
const char* engine_kind_name(EngineKind k);
const char* lock_kind_name(LockKind k);
const char* routing_name(Routing r);
const char* writer_mode_name(WriterMode m);
const char* streaming_mode_name(StreamingMode m);
std::optional<EngineKind> parse_engine_kind(std::string_view s);
std::optional<LockKind> parse_lock_kind(std::string_view s);
std::optional<Routing> parse_routing(std::string_view s);
std::optional<WriterMode> parse_writer_mode(std::string_view s);
std::optional<StreamingMode> parse_streaming_mode(std::string_view s);
// Every streaming mode, and their names joined for messages ("eager, lazy, spawnless, pooled").
const std::vector<StreamingMode>& all_streaming_modes();
std::string streaming_mode_names();

// End of stream the seed's way (seed 002's job server): the reader's own end marker is ignored,
// and the stream is taken to have ended after `reads` consecutive empty reads, sleeping `sleep`
// after each empty read but the last. Exists to measure what that costs against the marker.
struct EmptyReadsEnd {
  int reads = 3;
  std::chrono::milliseconds sleep{100};
};

struct JobConfig {
  EngineKind engine = EngineKind::Sql;
  size_t batch_size = 1000;  // records per read (and per engine call, per queue pop)
  int partitions = 1;        // lockless_stp and adaptive only
  QueueKind queue = QueueKind::MoodycamelConcurrent;
  // Records per partition queue: 16 batches of 1,000. Deep enough that a producer blocked on a
  // full queue is woken rarely (one wake-up per half queue, harness/queues/record_queue.h);
  // not deeper, because a reader that runs a whole queue ahead of a slower worker allocates in
  // blocks gone cold (docs/design-notes.md#queue-capacity). streaming sizes its channel from
  // this too (queue_capacity / batch_size batches).
  size_t queue_capacity = 16384;
  LockKind lock = LockKind::Mutex;
  Routing routing = Routing::Hash;
  WriterMode writer_mode = WriterMode::Shared;
  StreamingMode streaming = StreamingMode::Eager;
  // Off: only lifetimes, CPU time and counts are measured, every phase reads 0 and the whole
  // lifetime shows as unattributed. Comparing on and off measures what phase timing costs.
  bool phase_timing = true;
  // On: every thread of the job runs on one CPU chosen by its role (harness/job/thread_placement.h),
  // so that two strategies' SQL work runs on the same CPU. Off: the OS places threads.
  bool pin_threads = false;
  // Set: readers end the stream by empty reads (EmptyReadsEnd); unset: by their end marker.
  // Read by the strategies that read through a DataReader (not direct, not streaming).
  std::optional<EmptyReadsEnd> end_by_empty_reads;
  // The default readers' records (source_kind.h); a substitute JobInputs::make_reader wins.
  SourceKind source = SourceKind::Lent;
  // How records cross between threads (handoff.h); read by the strategies that hand them over.
  Handoff handoff = Handoff::Move;

  nlohmann::json to_json() const;
};

// partitions == 1 asks for the whole stream.
using ReaderFactory = std::function<std::unique_ptr<DataReader>(int partition, int partitions)>;
using WriterFactory = std::function<std::unique_ptr<DataWriter>(int partition)>;
// Receives the engine a strategy made for a partition (the shared one is partition 0) and
// returns the engine to use: tests wrap engines with faults here.
using EngineWrapper =
    std::function<std::unique_ptr<Engine>(std::unique_ptr<Engine>, int partition)>;

struct JobInputs {
  // Needed for EngineKind::Sql (engines come from instantiate()) and for key-hash partitioning.
  // May be null for passthrough runs, which are stateless (Partitioning::Any).
  std::shared_ptr<const CompiledQuery> query;
  // The records, in memory before timing. direct and streaming run over it; the default readers
  // read it (split into partitions when asked).
  SharedDataset dataset;
  // Optional: substitute sources. Default: memory_reader_factory(dataset, partitioning, query).
  ReaderFactory make_reader;
  // Optional: substitute sinks. Default: a DigestWriter per call.
  WriterFactory make_writer;
  // Optional: decorate each engine after it is made.
  EngineWrapper wrap_engine;
  // make_reader is an open-loop source releasing records at an offered rate (harness/latency):
  // direct then reads from it instead of the dataset; streaming cannot and rejects the job.
  bool open_loop = false;
};

// Used with the streaming strategy: start-up cost, separately from the total.
struct StartupTimes {
  uint64_t to_stream_ready_ns = 0;  // execute() called -> stream object returned
  uint64_t to_first_row_ns = 0;     // execute() called -> first non-empty batch pulled
};

struct RunResult {
  std::string strategy;
  bool ok = true;
  bool skipped = false;  // the config makes no sense for this strategy; `error` says why
  std::string error;

  // Conservation: records_read == records_processed and rows_written == rows_produced on
  // success. On failure the *_committed counts are exact: the reader's committed records and
  // the writers' committed rows (a batch that failed half-way is never counted as written).
  uint64_t records_read = 0;
  uint64_t records_processed = 0;  // handed to an engine
  uint64_t rows_produced = 0;      // returned by engines (finish() included)
  uint64_t rows_written = 0;
  uint64_t records_committed = 0;
  uint64_t rows_committed = 0;

  uint64_t batches = 0;  // engine calls with records (reader batches, queue pops, chunks)
  double average_batch_size() const {
    return batches ? static_cast<double>(records_processed) / static_cast<double>(batches) : 0.0;
  }
  uint64_t locks_taken = 0;
  QueueStats queue;  // summed over all queues of the run (adaptive)

  uint64_t wall_ns = 0;  // the job thread's lifetime: threads[0].lifetime_ns
  // threads[0] is the job thread (the caller of run()); each report adds up to its lifetime.
  std::vector<ThreadReport> threads;
  PhaseNs phase_ns_all_threads() const;  // summed over threads (CPU-ish view)
  uint64_t cpu_ns() const;               // summed over threads
  uint64_t voluntary_switches() const;
  uint64_t involuntary_switches() const;
  uint64_t peak_rss_kb = 0;
  bool peak_rss_per_run = false;  // false: the peak covers the whole process so far

  EngineStats engine;  // summed over engines
  Digest digest;       // merged over writers that are DigestSources
  OutputFingerprint fingerprint;  // merged over writers that are FingerprintSources
  std::optional<StartupTimes> startup;

  const ThreadReport& job_thread() const { return threads.front(); }
  nlohmann::json to_json() const;
};

}  // namespace sg
