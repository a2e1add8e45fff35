// The component table (overhead_components.h): which benchmark prices which counter, and why.
#include "harness/analysis/overhead_components.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace sg::overhead {
namespace {

double sample_median(const nlohmann::json& samples,
                     const std::function<double(const nlohmann::json&)>& get) {
  std::vector<double> values;
  for (const nlohmann::json& s : samples) values.push_back(get(s));
  return median_of(values);
}

// Each sample's "partition k" / "worker k" threads' records over their sum, by k; the median of
// each k over the samples. Empty when a sample lacks a count for some partition (older results).
std::vector<double> partition_shares(const nlohmann::json& samples, int partitions) {
  const size_t n = static_cast<size_t>(std::max(partitions, 1));
  std::vector<std::vector<double>> by_partition(n);
  for (const nlohmann::json& s : samples) {
    if (!s.contains("threads")) return {};
    std::vector<double> records(n, -1);
    double sum = 0;
    for (const nlohmann::json& t : s["threads"]) {
      const std::string role = t.value("role", std::string());
      const size_t space = role.find(' ');
      if (space == std::string::npos) continue;
      const std::string kind = role.substr(0, space);
      if (kind != "partition" && kind != "worker") continue;
      // A role this model does not know ("worker x") leaves the shares unknown, not an error.
      size_t k = n;
      const std::string_view index = std::string_view(role).substr(space + 1);
      const auto parsed = std::from_chars(index.data(), index.data() + index.size(), k);
      if (parsed.ec != std::errc() || parsed.ptr != index.data() + index.size() || k >= n)
        return {};
      records[k] = t.value("records", 0.0);
      sum += records[k];
    }
    if (sum <= 0 || std::count(records.begin(), records.end(), -1.0) > 0) return {};
    for (size_t k = 0; k < n; ++k) by_partition[k].push_back(records[k] / sum);
  }
  std::vector<double> shares;
  for (const std::vector<double>& v : by_partition) {
    if (v.empty()) return {};
    shares.push_back(median_of(v));
  }
  return shares;
}

}  // namespace

CellCounts read_cell(const nlohmann::json& cell) {
  CellCounts c;
  c.id = cell.at("id").get<std::string>();
  c.scenario = cell.at("scenario").get<std::string>();
  c.strategy = cell.at("strategy").get<std::string>();
  c.records = cell.at("records").get<uint64_t>();
  const nlohmann::json& config = cell.at("config");
  c.engine = config.value("engine", std::string("?"));
  c.queue = config.value("queue", std::string("moodycamel"));
  c.lock = config.value("lock", std::string("mutex"));
  c.streaming = config.value("streaming", std::string("eager"));
  c.writer_mode = config.value("writer_mode", std::string("shared"));
  c.source = config.value("source", std::string("lent"));
  c.handoff = config.value("handoff", std::string("move"));
  c.routing = config.value("routing", std::string("hash"));
  c.pinned = config.value("pin_threads", false);
  c.injected_work = config.value("injected_work", 0u);
  c.batch_size = config.value("batch_size", size_t{1});
  c.partitions = config.value("partitions", 1);
  // Results with instrumented passes timed their headline passes without phase timing.
  c.phase_timing = config.value("phase_timing", true) && !cell.contains("instrumented_samples");
  const nlohmann::json& s = cell.at("samples");
  auto number = [](const nlohmann::json& j, const char* key) {
    return j.contains(key) ? j[key].get<double>() : 0.0;
  };
  c.wall_ns = sample_median(s, [&](const auto& r) { return number(r, "wall_ns"); });
  c.records_read = sample_median(s, [&](const auto& r) { return number(r, "records_read"); });
  c.batches = sample_median(s, [&](const auto& r) { return number(r, "batches"); });
  c.locks_taken = sample_median(s, [&](const auto& r) { return number(r, "locks_taken"); });
  c.rows_produced = sample_median(s, [&](const auto& r) { return number(r, "rows_produced"); });
  c.voluntary_switches =
      sample_median(s, [&](const auto& r) { return number(r, "voluntary_switches"); });
  auto queue = [&](const char* key) {
    return sample_median(
        s, [&](const auto& r) { return r.contains("queue") ? number(r["queue"], key) : 0.0; });
  };
  c.items_pushed = queue("items_pushed");
  c.items_popped = queue("items_popped");
  c.push_calls = queue("push_calls");
  c.pop_calls = queue("pop_calls");
  c.producer_waits = queue("producer_waits");
  c.consumer_waits = queue("consumer_waits");
  // Phases come from the instrumented passes where the result has them (the timed ones read no
  // phase clock), as shares of their pass less its instrumentation, times the timed wall: a pass
  // the host slowed, or the meter's own reads, must not move the timed wall's split
  // (design-notes#model-shortfalls, run-s31).
  const nlohmann::json& phased =
      cell.contains("instrumented_samples") && !cell["instrumented_samples"].empty()
          ? cell["instrumented_samples"]
          : s;
  auto job_phase = [&](const char* phase) {
    const double share = sample_median(phased, [&](const auto& r) {
      if (!r.contains("threads") || r["threads"].empty()) return 0.0;
      const nlohmann::json& job = r["threads"][0];
      if (!job.contains("phase_ns")) return 0.0;
      const double pass = number(r, "wall_ns") - number(job["phase_ns"], "instrumentation");
      return pass > 0 ? number(job["phase_ns"], phase) / pass : 0.0;
    });
    return share * c.wall_ns;
  };
  c.engine_phase_ns = job_phase("engine");
  c.read_phase_ns = job_phase("read");
  c.partition_shares = partition_shares(s, c.partitions);
  for (const nlohmann::json& r : s)
    if (r.contains("threads")) c.threads = std::max(c.threads, r["threads"].size());
  return c;
}

namespace {

struct ComponentSpec {
  const char* name;
  const char* unit;     // what one count is
  const char* counter;  // what the run counted
  const char* why;
  // The benchmark expression for this cell: "A" or "A - 0.5 x B + C" (benchmarks' costs,
  // scaled and signed).
  std::function<std::string(const CellCounts&)> benchmark;
  double scale = 1.0;  // unit cost multiplier (a round trip is two one-way hand-offs)
  // The expressions to use, in order, when `benchmark`'s are not all in the microbench results
  // (results from before a benchmark was added); none: a missing one is an error.
  std::function<std::vector<std::string>(const CellCounts&)> fallbacks = nullptr;
};

// The suffix of a benchmark timed after a busy spell of the calling thread, the other CPU idle
// (microbench/busy_spell.h), as a matrix pass starts its threads.
constexpr const char* kAfterBusy = "/busy_us:200/iterations:1000/manual_time";

// A cell's thread start and join, by where its threads pin (`timing`: a benchmark name's suffix).
std::string thread_starts(const CellCounts& c, const char* timing) {
  if (!c.pinned) return fmt::format("thread/start_join{}", timing);
  const std::string same = fmt::format("thread/start_join_pinned/same_cpu{}", timing);
  const std::string other = fmt::format("thread/start_join_pinned/other_cpu{}", timing);
  if (c.threads_moved_share <= 0) return same;
  if (c.threads_moved_share >= 1) return other;
  return fmt::format("{:.6g} x {} + {:.6g} x {}", 1 - c.threads_moved_share, same,
                     c.threads_moved_share, other);
}

// The streaming strategy's pool never spins (streaming.cpp): the pooled benchmarks' spin_us:0.
std::string pool_spin(const CellCounts& c) {
  return c.streaming == "pooled" ? "/spin_us:0" : "";
}

// The nearest size, on a log scale, among those a benchmark was registered with.
int64_t nearest_size(double size, std::initializer_list<int64_t> sizes) {
  int64_t best = *sizes.begin();
  for (int64_t s : sizes)
    if (std::abs(std::log(std::max(size, 1.0) / double(s))) <
        std::abs(std::log(std::max(size, 1.0) / double(best))))
      best = s;
  return best;
}

// Rows per output batch, as the nearest size bench_batch_loop registered.
int64_t output_batch_size(const CellCounts& c) {
  const double rows = c.batches > 0 ? c.rows_produced / c.batches : 1.0;
  return nearest_size(rows, {1, 10, 100, 1000, 10000});
}

// The sql engine's per-record path differs from its batched one by scenario
// (microbench/bench_engine_calls.cpp), so a per_record_lock cell over the sql engine with a mutex
// is priced by its scenario's loops.
bool sql_loops(const CellCounts& c) {
  return c.strategy == "per_record_lock" && c.engine == "sql" && c.lock != "rwlock";
}

// The scenario's three loops run side by side in each iteration: `counter` (calls_ns or locks_ns)
// is their difference within the same microseconds.
std::string paired_loops(const CellCounts& c, const char* counter) {
  return counter_benchmark("batch/engine_calls/sql/paired/" + c.scenario, counter);
}

// The lock's price, then its fallbacks for older results: for per_record_lock over the sql engine
// the paired loops' locks_ns, then the unpaired loops' difference, then the passthrough engine's
// (which rwlock cells always take: their loop is timed over passthrough only).
std::vector<std::string> lock_benchmarks(const CellCounts& c, bool contended) {
  // A lock around each engine call costs less than a bare lock/unlock loop says: the call's work
  // runs while the locked instructions complete. Priced where it is taken, inside that loop.
  std::vector<std::string> chain;
  if (sql_loops(c)) {
    chain.push_back(paired_loops(c, "locks_ns"));
    chain.push_back(
        fmt::format("batch/engine_calls/sql/per_record_locked/mutex/{0} - "
                    "batch/engine_calls/sql/per_record/{0}",
                    c.scenario));
  }
  if (c.strategy == "per_record_lock") {
    chain.push_back(
        fmt::format("batch/engine_calls/per_record_locked/{} - batch/engine_calls/per_record",
                    c.lock == "rwlock" ? "shared_mutex" : "mutex"));
    return chain;
  }
  const char* fn = c.lock == "rwlock" ? "shared_mutex_exclusive" : "mutex_lock_unlock";
  chain.push_back(contended ? fmt::format("lock/{}/contended/real_time/threads:2", fn)
                            : fmt::format("lock/{}/uncontended", fn));
  return chain;
}

// One engine call per record against one per batch, and the fallbacks for older results: over
// the sql engine the paired loops' calls_ns, then the unpaired loops' difference; then (and for
// the passthrough engine) the passthrough engine's.
std::vector<std::string> engine_call_benchmarks(const CellCounts& c) {
  std::vector<std::string> chain;
  if (c.engine == "sql") {
    chain.push_back(paired_loops(c, "calls_ns"));
    chain.push_back(fmt::format(
        "batch/engine_calls/sql/per_record/{0} - batch/engine_calls/sql/batched/{0}", c.scenario));
  }
  chain.push_back("batch/engine_calls/per_record - batch/engine_calls/batched");
  return chain;
}

// A round of injected work in the loop that runs it: per_record_lock's rounds run a record at a
// time under its lock, the others' a batch at a time; then, for older results, the batched loop.
std::vector<std::string> injected_work_benchmarks(const CellCounts& c) {
  const auto difference = [](const std::string& loop) {
    return fmt::format("work/injected/{0}rounds:{1} - work/injected/{0}rounds:0", loop,
                       kInjectedWorkBenchRounds);
  };
  std::vector<std::string> chain;
  if (c.strategy == "per_record_lock") chain.push_back(difference("per_record_locked/"));
  chain.push_back(difference(""));
  return chain;
}

// A wake on an idle CPU (the waker's post), or one on the waker's own CPU (the whole switch there
// and back, measured over the queues' EventCount, which is where adaptive sleeps); for results
// from before the same-CPU benchmark, the idle CPU's.
std::vector<std::string> wakeup_benchmarks(const CellCounts& c) {
  const double per_batch_us = c.batches > 0 ? c.wall_ns / c.batches / 1000 : 100.0;
  const int64_t gap = nearest_size(per_batch_us, {10, 100});
  const char* channel = c.strategy == "streaming" ? "condvar" : "event_count";
  std::vector<std::string> chain;
  if (c.sleeper_beside_waker)
    chain.push_back(
        fmt::format("thread/wake_sleeping/event_count/same_cpu/gap_us:{}/manual_time", gap));
  chain.push_back(fmt::format("thread/wake_sleeping/{}/gap_us:{}/manual_time", channel, gap));
  return chain;
}

// Adaptive's workers share the writer's lock when there are several of them.
bool contended_lock(const CellCounts& c) {
  return c.strategy == "adaptive" && c.partitions > 1;
}

std::vector<std::string> tail(std::vector<std::string> chain) {
  chain.erase(chain.begin());
  return chain;
}

// bench_record_crossing: the maker's side where another core frees (taking turns, or at once
// where `overlapped`), less the same on one thread: "" for s0's records, or "<scenario>/" for the
// scenario's own.
std::string reuse_difference(const std::string& side, const std::string& scenario_part,
                             size_t batch = 1000, bool overlapped = false) {
  return fmt::format(
      "records/{3}/{0}/{1}batch:{2}/manual_time - "
      "records/same_thread/{0}/{1}batch:{2}/manual_time",
      side, scenario_part, batch, overlapped ? "overlapped_frees" : "other_reads_frees");
}

// bench_record_crossing: a batch's records read (and freed, where `use` is a side that frees) on
// another core than the one that made them, less the same on one thread and the batch's pointer
// slots crossing (queue_crossing's).
std::string read_elsewhere(const std::string& use) {
  return fmt::format(
      "{}/manual_time - records/same_thread/use/batch:1000/manual_time - "
      "0.5 x crossing/ping_pong/batch:1000/real_time + "
      "0.5 x crossing/same_thread/batch:1000/real_time",
      use);
}

std::string queue_bulk_benchmark(const CellCounts& c) {
  const double per_call = c.push_calls > 0 ? c.items_pushed / c.push_calls : 1.0;
  return fmt::format("queue/{}/bulk/batch:{}", c.queue, nearest_size(per_call, {1, 16, 256}));
}

const std::vector<ComponentSpec>& component_table() {
  static const std::vector<ComponentSpec> table = {
      {"locks", "lock + unlock", "locks_taken",
       "the engine lock (per record or per batch) or adaptive's shared-writer lock; contended "
       "when several workers share it",
       [](const CellCounts& c) { return lock_benchmarks(c, contended_lock(c)).front(); }, 1.0,
       [](const CellCounts& c) { return tail(lock_benchmarks(c, contended_lock(c))); }},
      {"clock_reads", "PhaseClock::now_ns()", "phase boundaries beyond direct's 3 per batch",
       "phase timing reads the clock at every phase change; strategies have more phases",
       [](const CellCounts&) { return std::string("batch/clock_read"); }},
      {"record_copies", "RecordPtr copy + release, or a deep copy",
       "records handed off by share or deep-copy (adaptive), plus the shared reads they need",
       "move passes a record's one reference (or a lent pointer) on for free; share adds a "
       "reference, deep-copy a fresh record",
       [](const CellCounts& c) {
         return std::string(c.handoff == "deep-copy" ? "copy/record/deep_copy"
                                                     : "copy/record/share");
       }},
      {"batches", "job-loop batch bookkeeping", "batches (lent source only)",
       "run_job_loop's per-batch work beyond direct's own loop over the lent records (read call, "
       "reader commit, counters); with any other source direct runs run_job_loop too",
       // At batch 1 the per-batch work is nearly all there is to time; at 1000 the difference
       // of two loops of 1000 records is below their noise (design-notes#overhead-model-terms).
       [](const CellCounts&) {
         return std::string("batch/job_loop/batch:1 - batch/direct_loop/batch:1");
       }},
      {"engine_calls", "one Engine::process call", "records - batches (per_record_lock)",
       "per_record_lock calls the engine per record instead of per batch; over the scenario's "
       "own query with the sql engine",
       [](const CellCounts& c) { return engine_call_benchmarks(c).front(); }, 1.0,
       [](const CellCounts& c) { return tail(engine_call_benchmarks(c)); }},
      {"routing", "a record's partition chosen by its key's hash and staged",
       "records read (adaptive, several partitions, hash routing)",
       "the reader reads each record's partition key (the row, for a stateless query), hashes "
       "it and stages the record for that partition's queue; over the scenario's own records: "
       "with a materialized source each batch just decoded, still in the reader's cache, as the "
       "cells' reader routes them; lent, a million made beforehand, first touched here",
       [](const CellCounts& c) {
         return c.source == "materialized"
                    ? fmt::format("routing/decoded/{}/manual_time", c.scenario)
                    : fmt::format("routing/records/{}/real_time", c.scenario);
       },
       1.0,
       // Results from before the decoded variant: every source over lent records.
       [](const CellCounts& c) {
         return std::vector{fmt::format("routing/records/{}/real_time", c.scenario)};
       }},
      {"queue_push", "half a push+pop, per item", "items_pushed",
       "the reader's side of the queue; bulk size = items_pushed / push_calls",
       [](const CellCounts& c) { return queue_bulk_benchmark(c); }, 0.5},
      {"queue_pop", "half a push+pop, per item", "items_popped", "the worker's side of the queue",
       [](const CellCounts& c) { return queue_bulk_benchmark(c); }, 0.5},
      {"queue_crossing", "half a batch's pointers crossing cores and back, per item",
       "items popped (adaptive), rows handed to the job thread (streaming)",
       "the consumer reads slots whose cache lines the producer's core wrote last; bulk size "
       "= items_pushed / push_calls",
       [](const CellCounts& c) {
         const double per_call = c.push_calls > 0 ? c.items_pushed / c.push_calls
                                 : c.batches > 0  ? c.rows_produced / c.batches
                                                  : 1.0;
         const int64_t b = nearest_size(per_call, {1, 16, 256, 1000});
         return fmt::format(
             "crossing/ping_pong/batch:{}/real_time - "
             "crossing/same_thread/batch:{}/real_time",
             b, b);
       },
       0.5},
      {"record_lines", "a fresh record read on another core than the one that wrote it",
       "records born on the reader (materialized source or deep-copy hand-off; adaptive), "
       "output rows (streaming, sql engine)",
       "the consumer's reads miss on lines the producer's core just wrote; the batch's pointer "
       "slots crossing are queue_crossing's, so they are taken out",
       [](const CellCounts&) { return read_elsewhere("records/other_reads/use/batch:1000"); }},
      {"remote_frees", "a record freed on another core than the one that allocated it",
       "the same records as record_lines, on the freeing thread's path",
       "mimalloc hands a block freed by another thread back through its page's shared list",
       [](const CellCounts&) {
         return std::string(
             "records/other_reads_frees/use/batch:1000/manual_time - "
             "records/other_reads/use/batch:1000/manual_time");
       }},
      {"aged_records", "a record read and freed on another core, made before the last batch",
       "records born on the reader that a worker popped without waiting (adaptive): its pops that "
       "found the queue not empty",
       "a batch the reader made while the worker worked on the one before costs the worker less "
       "to read and free than one it waited for, which the reader has just written (record_lines "
       "+ remote_frees)",
       [](const CellCounts&) {
         return read_elsewhere("records/ahead/other_reads_frees/use/batch:1000/lead:1");
       },
       1.0,
       // Results from before the benchmark: priced as batches the worker waited for.
       [](const CellCounts&) {
         return std::vector{read_elsewhere("records/other_reads_frees/use/batch:1000")};
       }},
      {"reused_blocks", "a record allocated in a block another core freed",
       "the same records, on the allocating thread's path (adaptive's reader, the producer)",
       "the allocating thread collects the blocks freed elsewhere and writes into lines the "
       "other core holds, while that core frees the next ones, as the cells' threads run at "
       "once; over the scenario's own records, whose width sets how many",
       // The two sides at once where the run measured it (batch 1000), else taking turns at the
       // cell's batch size: a batch's reuse costs a record more the fewer records share it
       // (design-notes#model-shortfalls, sessions 33 and 36).
       [](const CellCounts& c) {
         if (c.batch_size == 1000) return reuse_difference("make", c.scenario + "/", 1000, true);
         return reuse_difference("make", c.scenario + "/", c.batch_size);
       },
       1.0,
       // Older results, and cells at other sizes that it lacks: taking turns at batch 1000.
       [](const CellCounts& c) {
         return std::vector{reuse_difference("make", c.scenario + "/"),
                            reuse_difference("make", "")};
       }},
      {"produced_rows", "a record the sql producer reads, in blocks of both owners",
       "records read (streaming, sql engine)",
       "the producer decodes each record and runs the query over it: it frees what the query "
       "leaves out itself and the job thread frees the rows it passes on, so the producer "
       "allocates in blocks freed on both cores; over the scenario's own query, with the job "
       "thread freeing the last batch's rows while the producer makes the next, as in the cells",
       [](const CellCounts& c) {
         return fmt::format(
             "records/overlapped_frees/produce/{0}/batch:1000/manual_time - "
             "records/same_thread/produce/{0}/batch:1000/manual_time",
             c.scenario);
       },
       1.0,
       // Results from before it: the two sides taking turns.
       [](const CellCounts& c) {
         return std::vector{reuse_difference("produce", c.scenario + "/")};
       }},
      {"handoffs", "one-way futex wake + wait",
       "this path's own blocking waits (adaptive: producer_waits on the reader's path, "
       "consumer_waits on the workers'; streaming: the job thread's voluntary switches beyond "
       "direct's)",
       "a thread that blocked waits for the other's wake to reach it: half of a ping-pong round "
       "trip",
       [](const CellCounts&) { return std::string("thread/ping_pong/atomic_wait/real_time"); },
       0.5},
      {"wakeups", "waking a thread that blocked for want of work",
       "the other side's blocking waits (adaptive: consumer_waits on the reader's path, "
       "producer_waits on the workers'; streaming: the job thread's, on the producer's)",
       "the waker's futex wake reaches a thread asleep on an idle CPU, or, where the sleeper "
       "shares the waker's CPU, the CPU switches to it and back; the gap between wakes is the "
       "nearest of 10 and 100 us to the cell's time per batch",
       [](const CellCounts& c) { return wakeup_benchmarks(c).front(); }, 1.0,
       [](const CellCounts& c) { return tail(wakeup_benchmarks(c)); }},
      {"threads", "thread start + join", "threads started",
       "lockless_stp starts one per partition, adaptive one per worker plus the reader; a "
       "pinned cell's threads each set their CPU first, and start on the job thread's CPU: one "
       "pinned to another moves (threads_moved_share); each started after the calling thread "
       "was busy with the other CPU idle, as the harness's work between a matrix's passes "
       "leaves it",
       [](const CellCounts& c) { return thread_starts(c, kAfterBusy); }, 1.0,
       // Results from before the busy variants: starts back to back; from before the split,
       // every pinned start from an unpinned creator.
       [](const CellCounts& c) {
         return std::vector<std::string>{
             thread_starts(c, "/real_time"),
             c.pinned ? "thread/start_join_pinned/real_time" : "thread/start_join/real_time"};
       }},
      {"fresh_heaps", "a new thread's first allocations", "threads started",
       "every thread a strategy starts allocates (records, rows, batches), and the allocator "
       "sets up the thread's own heap on the first ones; priced where the results measured it",
       [](const CellCounts&) {
         return std::string(
             "thread/first_allocations/new_thread/real_time - "
             "thread/first_allocations/warm_thread/real_time");
       }},
      {"thread_meters", "a thread's meter: started and finished", "threads started",
       "every thread a strategy starts reads its own CPU time and context switches at its start "
       "and end (ThreadMeter: two getrusage and two CPU-clock reads), our instrumentation; "
       "priced where the results measured it",
       [](const CellCounts&) { return std::string("thread/meter"); }},
      {"stream_startup", "execute() + pull + stop of a 1-record stream", "streams (1 per run)",
       "the streaming design's fixed cost (channel, pause state, producer thread, the first "
       "batch's wait and the join), each stream started after the calling thread was busy with "
       "the other CPU idle, as the harness's work between a matrix's passes leaves it",
       [](const CellCounts& c) {
         return fmt::format("startup/whole/{}/records:1{}{}", c.streaming, pool_spin(c),
                            kAfterBusy);
       },
       1.0,
       // Results from before the busy variant: streams back to back.
       [](const CellCounts& c) {
         return std::vector<std::string>{
             fmt::format("startup/whole/{}/records:1{}/real_time", c.streaming, pool_spin(c))};
       }},
      {"channel", "mutex-deque push + pop", "output batches (streaming eager/lazy)",
       "each output batch goes through the stream's mutex + deque channel",
       [](const CellCounts&) { return std::string("raw/mutex-deque/push_pop"); }},
      {"pause_checks", "lock + unlock", "chunks (streaming eager)",
       "an eager stream's producer takes the pause mutex before every chunk",
       [](const CellCounts&) { return lock_benchmarks(CellCounts{}, false).front(); }},
      {"injected_work", "one round of injected work", "rounds x records on the path",
       "a validation cell's known added cost (inject_work): the model must find it again",
       [](const CellCounts& c) { return injected_work_benchmarks(c).front(); },
       1.0 / kInjectedWorkBenchRounds,
       [](const CellCounts& c) { return tail(injected_work_benchmarks(c)); }},
      {"fresh_batches", "a new output vector instead of a reused one", "output batches",
       "the streaming producer starts every chunk with an empty Batch that grows, in blocks the "
       "job thread freed (its two clock reads per batch taken out)",
       [](const CellCounts& c) {
         const int64_t b = output_batch_size(c);
         return fmt::format(
             "batch/output_vector/fresh_freed_elsewhere/batch:{}/manual_time - 2 x "
             "batch/clock_read - batch/output_vector/reuse/batch:{}",
             b, b);
       },
       1.0,
       // Results from before the cross-core benchmark: the growth on one thread.
       [](const CellCounts& c) {
         const int64_t b = output_batch_size(c);
         return std::vector{fmt::format(
             "batch/output_vector/fresh/batch:{} - batch/output_vector/reuse/batch:{}", b, b)};
       }},
  };
  return table;
}

}  // namespace

std::vector<std::string> component_names() {
  std::vector<std::string> names;
  for (const ComponentSpec& s : component_table()) names.push_back(s.name);
  return names;
}

namespace {

const ComponentSpec& spec_of(const std::string& name) {
  for (const ComponentSpec& s : component_table())
    if (name == s.name) return s;
  throw std::logic_error("overhead model: no component named " + name);
}

// One term of an expression: "NAME" or "K x NAME" (K times the benchmark's cost).
std::pair<double, std::string> split_term(const std::string& term) {
  const size_t times = term.find(" x ");
  if (times == std::string::npos) return {1.0, term};
  return {std::stod(term.substr(0, times)), term.substr(times + 3)};
}
double term_cost(const std::string& term, const MicrobenchCosts& costs) {
  const auto [k, name] = split_term(term);
  return k * costs.ns_per_item(name);
}

// Calls `each` with every term of "A - K x B + C", in order, and the sign it carries.
template <class F>
void for_each_term(const std::string& expression, F&& each) {
  double sign = 1;
  size_t start = 0;
  while (true) {
    const size_t minus = expression.find(" - ", start);
    const size_t plus = expression.find(" + ", start);
    const size_t op = std::min(minus, plus);
    each(sign, expression.substr(start, op - start));
    if (op == std::string::npos) break;
    sign = op == minus ? -1 : 1;
    start = op + 3;
  }
}

// Whether every benchmark of the expression passes `measured` (MicrobenchCosts::has, or
// in_regime_measured).
template <class Measured>
bool all_terms(const std::string& expression, Measured measured) {
  bool all = true;
  for_each_term(expression, [&](double, const std::string& term) {
    const size_t times = term.find(" x ");
    all = all && measured(times == std::string::npos ? term : term.substr(times + 3));
  });
  return all;
}
bool all_measured(const std::string& expression, const MicrobenchCosts& costs) {
  return all_terms(expression, [&](const std::string& b) { return costs.has(b); });
}
bool all_in_regime(const std::string& expression, const MicrobenchCosts& costs) {
  return all_terms(expression, [&](const std::string& b) { return costs.in_regime_measured(b); });
}

// A difference whose probed benchmarks in_regime found in both readings (scripts/run reads them
// before and after the matrices), with every other term read in both too: evaluated within each
// reading, and the two averaged. The host moves both sides of "A - B" together, so A pooled over
// two readings less B from one of them is off by however far the readings are apart.
std::optional<double> cost_within_readings(const std::string& expression,
                                           const MicrobenchCosts& costs) {
  int terms = 0;
  bool twice = false, both = true;
  for_each_term(expression, [&](double, const std::string& term) {
    const std::string name = split_term(term).second;
    ++terms;
    twice = twice || costs.probed_twice(name);
    both = both && costs.reading_ns(name, 0) && costs.reading_ns(name, 1);
  });
  if (terms < 2 || !twice || !both) return std::nullopt;
  double total = 0;
  for (int reading : {0, 1})
    for_each_term(expression, [&](double sign, const std::string& term) {
      const auto [k, name] = split_term(term);
      total += sign * k * *costs.reading_ns(name, reading) / 2;
    });
  return total;
}

// "A - K x B + C" -> the benchmarks' costs, scaled, added and subtracted left to right.
double expression_cost(const std::string& expression, const MicrobenchCosts& costs) {
  if (const std::optional<double> within = cost_within_readings(expression, costs)) return *within;
  double total = 0;
  for_each_term(expression, [&](double sign, const std::string& term) {
    total += sign * term_cost(term, costs);
  });
  return total;
}

// The cell's own expression, or the first fallback whose benchmarks were all measured where it
// was not; one measured outside the cross-core regime gives way to a later one measured inside.
// None measured: the last, so that the error names the oldest benchmark the model can use.
std::string chosen_expression(const ComponentSpec& spec, const CellCounts& cell,
                              const MicrobenchCosts& costs) {
  std::vector<std::string> chain = {spec.benchmark(cell)};
  if (spec.fallbacks)
    for (std::string& f : spec.fallbacks(cell)) chain.push_back(std::move(f));
  auto first = std::find_if(chain.begin(), chain.end(),
                            [&](const std::string& e) { return all_measured(e, costs); });
  if (first == chain.end()) return chain.back();
  if (all_in_regime(*first, costs)) return *first;
  auto inside = std::find_if(first, chain.end(),
                             [&](const std::string& e) { return all_in_regime(e, costs); });
  return inside == chain.end() ? *first : *inside;
}

}  // namespace

bool component_measured(const std::string& name, const CellCounts& cell,
                        const MicrobenchCosts& costs) {
  return all_measured(chosen_expression(spec_of(name), cell, costs), costs);
}

ComponentEstimate price_component(const std::string& name, double count, const CellCounts& cell,
                                  const MicrobenchCosts& costs, double records) {
  // With phase timing off the clock is read once per thread, not at every phase boundary.
  if (name == "clock_reads" && !cell.phase_timing) count = 0;
  const ComponentSpec& spec = spec_of(name);
  ComponentEstimate e;
  e.name = name;
  const std::string expression = chosen_expression(spec, cell, costs);
  e.unit_cost_ns = spec.scale * expression_cost(expression, costs);
  e.benchmark = spec.scale == 1.0 ? expression : fmt::format("{} x ({})", spec.scale, expression);
  e.count_per_record = count / records;
  e.predicted_ns_per_record = e.count_per_record * e.unit_cost_ns;
  return e;
}

}  // namespace sg::overhead
