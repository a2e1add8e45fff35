// How much of a second CPU this machine gives: the same engine work on 1 and on N threads at
// once, each thread on its own engine and its own records, nothing shared, each pinned to its
// own slot's CPU (harness/job/thread_placement.h) as a pinned matrix pins partitions.
//
//   machine/parallel_engine/threads:<N>/real_time    N threads each run a GROUP BY over 200,000
//                                                    records; items = N x 200,000; wall time
//   machine/parallel_injected/threads:<N>/real_time  N threads each run --inject-work's 400 rounds
//                                                    (harness/workload/injected_work.h) over
//                                                    20,000 records; items = N x 20,000
//
// ns per item at N threads over ns per item at 1 is the machine's parallel capacity at N
// (N on a machine whose CPUs are independent; less on a shared VM, where two busy vCPUs may
// each run slower than one alone). The overhead model divides a partitioned strategy's engine
// work by it (harness/analysis/overhead_model.cpp), instead of assuming N. The injected rounds
// are a chain of multiplies that touches no memory: two CPUs running them contend for less than
// two running an engine, so the model weighs the two capacities by how much of the work each is.
#include <algorithm>
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

void parallel_engine(benchmark::State& state) {
  const bench::LineProbe line_probe(state);
  const int threads = static_cast<int>(state.range(0));
  const auto query = CompiledQuery::compile(
      "SELECT category, COUNT(*) AS n, SUM(amount) AS total, AVG(amount) AS mean FROM t "
      "GROUP BY category",
      Schema::parse("category:string,amount:float"));
  std::vector<std::vector<RecordPtr>> data;
  for (int t = 0; t < threads; ++t) data.push_back(make_records(7 + t));
  for (auto _ : state) {
    // Started and joined every iteration, also at 1 thread, so that the start-up cancels out
    // of the ratio.
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
      workers.emplace_back([&, t] {
        ThreadPin pin(true, t);
        engine_pass(*query, data[t]);
      });
    for (std::thread& w : workers) w.join();
  }
  state.SetItemsProcessed(state.iterations() * threads * kRecords);
}

constexpr int64_t kInjectedRecords = 20'000;
constexpr unsigned kInjectedRounds = 400;  // the model_validation matrix's inject_work

void parallel_injected(benchmark::State& state) {
  const bench::LineProbe line_probe(state);
  const int threads = static_cast<int>(state.range(0));
  std::vector<std::vector<RecordPtr>> data;
  for (int t = 0; t < threads; ++t) {
    std::vector<RecordPtr> records = make_records(7 + t);
    records.resize(kInjectedRecords);
    data.push_back(std::move(records));
  }
  for (auto _ : state) {
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
      workers.emplace_back([&, t] {
        ThreadPin pin(true, t);
        const auto engine = with_injected_work(make_passthrough_engine(), kInjectedRounds);
        Batch out;
        out.reserve(kBatch);
        for (size_t i = 0; i < data[t].size(); i += kBatch) {
          engine->process_batch(std::span(data[t]).subspan(i, kBatch), out);
          out.clear();
        }
      });
    for (std::thread& w : workers) w.join();
  }
  state.SetItemsProcessed(state.iterations() * threads * kInjectedRecords);
}
static_assert(kInjectedRecords % kBatch == 0, "every batch is full");

void thread_counts(benchmark::internal::Benchmark* b) {
  b->ArgName("threads");
  const int cpus = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  for (int n = 1; n <= std::min(cpus, 4); ++n) b->Arg(n);
}

BENCHMARK(parallel_engine)
    ->Name("machine/parallel_engine")
    ->Apply(thread_counts)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(parallel_injected)
    ->Name("machine/parallel_injected")
    ->Apply(thread_counts)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sg

SG_BENCHMARK_MAIN()
