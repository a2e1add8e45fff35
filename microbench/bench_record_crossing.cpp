// What a record born on one core costs when another core uses it: a materialized source's reader
// decodes records that a worker then reads and frees (adaptive), and a streaming producer builds
// output rows that the job thread writes and frees. Each iteration moves one batch of 1,000 of
// s0_pure_select's records (or the named scenario's), decoded fresh from an encoded log (MaterializingReader, as
// `--source materialized` does); items are records.
//
// Two sides, each timed on its own thread with two clock reads per batch, reported as
// separate benchmarks (manual time) of the same run:
//   make: free the records it still owns, then decode the next batch
//   use:  read every record (row_hash), and free them where the variant says
// Variants, over s0's records (the two make sides that reused_blocks subtracts also over each
// scenario's, records/<variant>/make/<scenario>/batch:1000: a record's blocks and lines grow
// with its fields, and the reuse with them):
//   records/same_thread/<side>/batch:1000         one thread does both sides, in turn
//   records/other_reads/<side>/batch:1000         thread A (slot 0's CPU) makes, thread B (slot
//                                                 1's) uses; A frees a batch after B read it
//   records/other_reads_frees/<side>/batch:1000   A makes, B uses and frees
// A and B take turns (a ping-pong, spinning), so neither side's time includes the other's. The
// overhead model (harness/analysis/overhead_components.cpp) prices per record:
//   record_lines  = other_reads/use - same_thread/use (less the batch's pointers crossing)
//   remote_frees  = other_reads_frees/use - other_reads/use          (the freeing core's side)
//   reused_blocks = other_reads_frees/make - same_thread/make, per scenario  (the allocating
//                   core's side: blocks freed on the other core come back to it through the
//                   allocator)
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "harness/io/materializing_reader.h"
#include "harness/io/record_log.h"
#include "harness/job/thread_placement.h"
#include "harness/queues/blocking_waiter.h"  // cpu_relax
#include "harness/workload/generator.h"
#include "harness/workload/scenario.h"
#include "microbench/line_probe.h"
#include "microbench/quick_main.h"

namespace sg {
namespace {

constexpr uint64_t kRecords = 100'000;
constexpr size_t kBatch = 1000;
static_assert(kRecords % kBatch == 0, "every batch is full");

using Clock = std::chrono::steady_clock;

const std::vector<Scenario>& scenarios() {
  static const std::vector<Scenario> all = load_scenarios(default_scenario_dir());
  return all;
}

// The scenario's records, encoded once (on first use: only the benchmarks that run pay for it).
SharedRecordLog scenario_log(const std::string& name) {
  static std::map<std::string, SharedRecordLog> logs;
  if (auto it = logs.find(name); it != logs.end()) return it->second;
  for (const Scenario& s : scenarios())
    if (s.name == name)
      return logs[name] = std::make_shared<const RecordLog>(
                 RecordLog::encode(generate_dataset(s.generator, kRecords).records));
  throw std::runtime_error("bench_record_crossing: scenario " + name + " not found");
}

// Decodes the next batch, starting the log over at its end: fresh records every call.
class Decoder {
 public:
  explicit Decoder(SharedRecordLog log) : log_(std::move(log)), reader_(log_) {}
  void next(Batch& out) {
    if (reader_.read(kBatch, out).end_of_stream && out.empty()) {
      reader_ = MaterializingReader(log_);
      reader_.read(kBatch, out);
    }
  }

 private:
  SharedRecordLog log_;
  MaterializingReader reader_;
};

uint64_t read_all(const Batch& batch) {
  uint64_t sum = 0;
  for (const RecordPtr& r : batch) sum += r->row_hash();
  return sum;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

enum class Side { Make, Use };

void same_thread(benchmark::State& state, Side side, const std::string& scenario) {
  Decoder decoder(scenario_log(scenario));
  Batch batch;
  batch.reserve(kBatch);
  uint64_t sum = 0;
  for (auto _ : state) {
    const Clock::time_point start = Clock::now();
    batch.clear();
    decoder.next(batch);
    const Clock::time_point made = Clock::now();
    sum += read_all(batch);
    state.SetIterationTime(side == Side::Make ? std::chrono::duration<double>(made - start).count()
                                              : seconds_since(made));
  }
  batch.clear();
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kBatch));
}

enum class Freer { Maker, User };

// A makes into `batch` and raises `full`; B uses it (freeing it when `freer` is the user), notes
// its time and lowers `full`.
void ping_pong(benchmark::State& state, Freer freer, Side side, const std::string& scenario) {
  const bench::LineProbe line_probe(state);
  constexpr int kStop = 2;
  Decoder decoder(scenario_log(scenario));
  Batch batch;
  batch.reserve(kBatch);
  alignas(64) std::atomic<int> full{0};
  std::atomic<double> use_seconds{0};
  std::atomic<uint64_t> checksum{0};
  ThreadPin pin(true, 0);
  std::thread user([&] {
    ThreadPin user_pin(true, 1);
    uint64_t sum = 0;
    for (;;) {
      int f;
      while ((f = full.load(std::memory_order_acquire)) == 0) cpu_relax();
      if (f == kStop) break;
      const Clock::time_point start = Clock::now();
      sum += read_all(batch);
      if (freer == Freer::User) batch.clear();
      use_seconds.store(seconds_since(start), std::memory_order_relaxed);
      full.store(0, std::memory_order_release);
    }
    checksum.store(sum, std::memory_order_relaxed);
  });
  for (auto _ : state) {
    const Clock::time_point start = Clock::now();
    batch.clear();  // frees the last batch here, when the user left it
    decoder.next(batch);
    const double make_seconds = seconds_since(start);
    full.store(1, std::memory_order_release);
    while (full.load(std::memory_order_acquire) != 0) cpu_relax();
    state.SetIterationTime(side == Side::Make ? make_seconds
                                              : use_seconds.load(std::memory_order_relaxed));
  }
  full.store(kStop, std::memory_order_release);
  user.join();
  batch.clear();
  benchmark::DoNotOptimize(checksum.load());
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kBatch));
}

// The batch is in the names only so that they carry it, as bench_batch_crossing's do.
const bool registered = [] {
  const std::string batch = "/batch:" + std::to_string(kBatch);
  for (const auto& [side, side_name] : {std::pair{Side::Make, "make"}, {Side::Use, "use"}}) {
    benchmark::RegisterBenchmark(
        ("records/same_thread/" + std::string(side_name) + batch).c_str(),
        [side](benchmark::State& s) { same_thread(s, side, "s0_pure_select"); })
        ->UseManualTime();
    benchmark::RegisterBenchmark(
        ("records/other_reads/" + std::string(side_name) + batch).c_str(),
        [side](benchmark::State& s) { ping_pong(s, Freer::Maker, side, "s0_pure_select"); })
        ->UseManualTime();
    benchmark::RegisterBenchmark(
        ("records/other_reads_frees/" + std::string(side_name) + batch).c_str(),
        [side](benchmark::State& s) { ping_pong(s, Freer::User, side, "s0_pure_select"); })
        ->UseManualTime();
  }
  // reused_blocks per scenario (overhead_components.cpp): the two make sides it subtracts.
  for (const Scenario& sc : scenarios()) {
    const std::string name = sc.name;
    benchmark::RegisterBenchmark(("records/same_thread/make/" + name + batch).c_str(),
                                 [name](benchmark::State& s) { same_thread(s, Side::Make, name); })
        ->UseManualTime();
    benchmark::RegisterBenchmark(
        ("records/other_reads_frees/make/" + name + batch).c_str(),
        [name](benchmark::State& s) { ping_pong(s, Freer::User, Side::Make, name); })
        ->UseManualTime();
  }
  return true;
}();

}  // namespace
}  // namespace sg

SG_BENCHMARK_MAIN()
