// What latency measurement costs per sample:
//
//   latency/record                  LatencyHistogram::record of one value (random values over
//                                   1 ns .. 60 s, so every bucket's branch and cache line is hit)
//   latency/record_clock            one steady_clock read plus one record: a sink that reads the
//                                   clock per row would pay this
//   latency/merge                   merging one histogram into another (once per thread per run)
//
// items_per_second gives the time per operation.
#include <chrono>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "harness/job/latency_histogram.h"
#include "microbench/quick_main.h"

namespace sg {
namespace {

std::vector<uint64_t> spread_values() {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> log_value(0.0, std::log(60e9));
  std::vector<uint64_t> values(4096);
  for (uint64_t& v : values) v = static_cast<uint64_t>(std::exp(log_value(rng)));
  return values;
}

void record(benchmark::State& state) {
  const std::vector<uint64_t> values = spread_values();
  auto h = std::make_unique<LatencyHistogram>();
  size_t i = 0;
  for (auto _ : state) {
    h->record(values[i]);
    i = (i + 1) & (values.size() - 1);
  }
  benchmark::DoNotOptimize(h->count());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(record)->Name("latency/record");

void record_clock(benchmark::State& state) {
  auto h = std::make_unique<LatencyHistogram>();
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    h->record(static_cast<uint64_t>((std::chrono::steady_clock::now() - start).count()));
  }
  benchmark::DoNotOptimize(h->count());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(record_clock)->Name("latency/record_clock");

void merge(benchmark::State& state) {
  auto into = std::make_unique<LatencyHistogram>();
  auto other = std::make_unique<LatencyHistogram>();
  for (uint64_t v : spread_values()) other->record(v);
  for (auto _ : state) into->merge(*other);
  benchmark::DoNotOptimize(into->count());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(merge)->Name("latency/merge");

}  // namespace
}  // namespace sg

SG_BENCHMARK_MAIN()
