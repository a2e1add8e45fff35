// How much of a second CPU this machine gives: the same engine work on 1 and on N threads at
// once, each thread on its own engine and its own records, nothing shared, each pinned to its
// own slot's CPU (harness/job/thread_placement.h) as a pinned matrix pins partitions.
//
//   machine/parallel_engine/threads:<N>/real_time    N threads each run a GROUP BY over 200,000
//                                                    records; items = N x 200,000; wall time
//   machine/parallel_injected/threads:<N>/real_time  N threads each run --inject-work's 400 rounds
//                                                    (harness/workload/injected_work.h) over
//                                                    20,000 records; items = N x 20,000
//   machine/parallel_<work>/threads:<N>/slot:<S>/manual_time
//                                                    the same N threads; time = slot S's thread
//                                                    from its first record to its last (its start
//                                                    and join left out); items = its records
//
// ns per item at N threads over ns per item at 1 is the machine's parallel capacity at N
// (N on a machine whose CPUs are independent; less on a shared VM, where two busy vCPUs may
// each run slower than one alone). The overhead model divides a partitioned strategy's engine
// work by it (harness/analysis/overhead_model.cpp), instead of assuming N. The slot variants say
// which CPU runs slower while the others are busy: a shared VM need not slow them alike, and a
// path whose CPU is not slowed does not wait for the one that is. The injected rounds are a chain
// of multiplies that touches no memory: two CPUs running them contend for less than two running
// an engine, so the model weighs the two capacities by how much of the work each is.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>
#include <span>
#include <thread>
#include <vector>

#include "engine/query.h"
#include "harness/job/thread_placement.h"
#include "harness/workload/injected_work.h"
#include "microbench/line_probe.h"
#include "microbench/quick_main.h"

namespace sg {
namespace {

constexpr int64_t kRecords = 200'000;
constexpr size_t kBatch = 1000;

// (category: 100 distinct strings, amount), generated once per thread before timing.
std::vector<RecordPtr> make_records(uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> category(0, 99);
  std::uniform_real_distribution<double> amount(0.0, 1000.0);
  std::vector<RecordPtr> out;
  out.reserve(kRecords);
  for (int64_t i = 0; i < kRecords; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "cat_%04d", category(rng));
    RecordMeta meta;
    meta.offset = i;
    out.push_back(RecordPtr::make({Value::string(name), Value::floating(amount(rng))}, meta));
  }
  return out;
}

void engine_pass(const CompiledQuery& query, const std::vector<RecordPtr>& in) {
  auto engine = query.instantiate();
  Batch out;
  out.reserve(kBatch);
  for (size_t i = 0; i < in.size(); i += kBatch) {
    engine->process_batch(std::span(in).subspan(i, std::min(kBatch, in.size() - i)), out);
    out.clear();
  }
  engine->finish(out);
  benchmark::DoNotOptimize(out.data());
}

// Runs work(t) on `threads` threads, thread t pinned to slot t, started and joined as a pinned
// lockless_stp job starts its partitions: from the creator on slot 0's CPU, the last first.
// Started first, thread 0 would take the creator's CPU at once and hold back the others' start
// by up to a time slice, a delay the strategies do not have and the ratio would count as the
// CPUs slowing each other. Started and joined every iteration, also at 1 thread, so that the
// start-up cancels out of the wall-time ratio. Returns each thread's own seconds of work.
template <typename Work>
std::vector<double> run_pinned_threads(int threads, const Work& work) {
  using Clock = std::chrono::steady_clock;
  std::vector<double> own(static_cast<size_t>(threads), 0.0);
  std::vector<std::thread> workers;
  workers.reserve(static_cast<size_t>(threads));
  for (int t = threads - 1; t >= 0; --t)
    workers.emplace_back([&work, &own, t] {
      ThreadPin pin(true, t);
      const Clock::time_point start = Clock::now();
      work(t);
      own[static_cast<size_t>(t)] = std::chrono::duration<double>(Clock::now() - start).count();
    });
  for (std::thread& w : workers) w.join();
  return own;
}

// A GROUP BY per thread, each over records of its own.
class EngineWork {
 public:
  static constexpr int64_t kItems = kRecords;
  explicit EngineWork(int threads)
      : query_(CompiledQuery::compile(
            "SELECT category, COUNT(*) AS n, SUM(amount) AS total, AVG(amount) AS mean FROM t "
            "GROUP BY category",
            Schema::parse("category:string,amount:float"))) {
    for (int t = 0; t < threads; ++t) data_.push_back(make_records(7 + t));
  }
  void operator()(int t) const { engine_pass(*query_, data_[static_cast<size_t>(t)]); }

 private:
  std::shared_ptr<const CompiledQuery> query_;
  std::vector<std::vector<RecordPtr>> data_;
};

constexpr int64_t kInjectedRecords = 20'000;
constexpr unsigned kInjectedRounds = 400;  // the model_validation matrix's inject_work
static_assert(kInjectedRecords % kBatch == 0, "every batch is full");

// --inject-work's rounds per thread, over records of its own.
class InjectedWork {
 public:
  static constexpr int64_t kItems = kInjectedRecords;
  explicit InjectedWork(int threads) {
    for (int t = 0; t < threads; ++t) {
      std::vector<RecordPtr> records = make_records(7 + t);
      records.resize(kInjectedRecords);
      data_.push_back(std::move(records));
    }
  }
  void operator()(int t) const {
    const std::vector<RecordPtr>& records = data_[static_cast<size_t>(t)];
    const auto engine = with_injected_work(make_passthrough_engine(), kInjectedRounds);
    Batch out;
    out.reserve(kBatch);
    for (size_t i = 0; i < records.size(); i += kBatch) {
      engine->process_batch(std::span(records).subspan(i, kBatch), out);
      out.clear();
    }
  }

 private:
  std::vector<std::vector<RecordPtr>> data_;
};

// Wall time of N threads, from the first start to the last join.
template <typename Work>
void parallel_wall(benchmark::State& state) {
  const bench::LineProbe line_probe(state);
  const int threads = static_cast<int>(state.range(0));
  const Work work(threads);
  const ThreadPin creator(true, 0);  // as a pinned cell's job thread
  for (auto _ : state) run_pinned_threads(threads, work);
  state.SetItemsProcessed(state.iterations() * threads * Work::kItems);
}

// Slot S's own time among N threads.
template <typename Work>
void parallel_slot(benchmark::State& state) {
  const bench::LineProbe line_probe(state);
  const int threads = static_cast<int>(state.range(0));
  const size_t slot = static_cast<size_t>(state.range(1));
  const Work work(threads);
  const ThreadPin creator(true, 0);
  for (auto _ : state) state.SetIterationTime(run_pinned_threads(threads, work)[slot]);
  state.SetItemsProcessed(state.iterations() * Work::kItems);
}

int max_threads() {
  return std::min(static_cast<int>(std::max(2u, std::thread::hardware_concurrency())), 4);
}

void thread_counts(benchmark::internal::Benchmark* b) {
  b->ArgName("threads");
  for (int n = 1; n <= max_threads(); ++n) b->Arg(n);
}

void slots_of_thread_counts(benchmark::internal::Benchmark* b) {
  b->ArgNames({"threads", "slot"});
  for (int n = 1; n <= max_threads(); ++n)
    for (int slot = 0; slot < n; ++slot) b->Args({n, slot});
}

BENCHMARK_TEMPLATE(parallel_wall, EngineWork)
    ->Name("machine/parallel_engine")
    ->Apply(thread_counts)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(parallel_wall, InjectedWork)
    ->Name("machine/parallel_injected")
    ->Apply(thread_counts)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(parallel_slot, EngineWork)
    ->Name("machine/parallel_engine")
    ->Apply(slots_of_thread_counts)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(parallel_slot, InjectedWork)
    ->Name("machine/parallel_injected")
    ->Apply(slots_of_thread_counts)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sg

SG_BENCHMARK_MAIN()
