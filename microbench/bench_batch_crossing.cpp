// What moving a batch of record pointers from one core to another costs, beyond moving it on one
// core: the cache lines a queue's slots occupy change owner twice per batch (the consumer reads
// lines the producer wrote, the producer then overwrites lines the consumer read).
//
//   crossing/ping_pong/batch:<B>/real_time    thread A (slot 0's CPU) writes B pointers into a
//                                             shared array and raises a flag; thread B (slot 1's
//                                             CPU) waits for it spinning, reads the B pointers
//                                             and lowers it; per pointer, one round trip / B
//   crossing/same_thread/batch:<B>/real_time  the same writes and reads on one thread
//
// The difference is the cache-line traffic of a batch crossing cores both ways, per pointer. The
// overhead model charges half of it (the consumer's side) to a worker's path per item it pops
// (harness/analysis/overhead_components.cpp, queue_crossing). Spinning, not sleeping: wake-ups
// are priced apart (thread/ping_pong/atomic_wait).
#include <cstdint>
#include <vector>

#include "microbench/line_probe.h"
#include "microbench/quick_main.h"
#include "microbench/taking_turns.h"

namespace sg {
namespace {

// Distinct pointers, as a queue of records would hold; never dereferenced.
std::vector<const void*> make_items(size_t n) {
  static const char base[1] = {};
  std::vector<const void*> items(n);
  for (size_t i = 0; i < n; ++i) items[i] = base + i;
  return items;
}

void ping_pong(benchmark::State& state) {
  const bench::LineProbe line_probe(state);
  const size_t batch = static_cast<size_t>(state.range(0));
  const std::vector<const void*> items = make_items(batch);
  std::vector<const void*> slots(batch);
  uintptr_t sum = 0;
  {
    bench::TakingTurns turns([&] {
      for (const void* p : slots) sum += reinterpret_cast<uintptr_t>(p);
    });
    for (auto _ : state) {
      for (size_t i = 0; i < batch; ++i) slots[i] = items[i];
      turns.hand_over();
    }
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch));
}

void same_thread(benchmark::State& state) {
  const size_t batch = static_cast<size_t>(state.range(0));
  const std::vector<const void*> items = make_items(batch);
  std::vector<const void*> slots(batch);
  uintptr_t sum = 0;
  for (auto _ : state) {
    for (size_t i = 0; i < batch; ++i) slots[i] = items[i];
    benchmark::ClobberMemory();
    for (const void* p : slots) sum += reinterpret_cast<uintptr_t>(p);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch));
}

// The queues' bulk sizes (1, 16, 256) and the pipelines' batch (1000).
void batch_sizes(benchmark::internal::Benchmark* b) {
  b->ArgName("batch");
  for (int64_t size : {1, 16, 256, 1000}) b->Arg(size);
}

BENCHMARK(ping_pong)->Name("crossing/ping_pong")->Apply(batch_sizes)->UseRealTime();
BENCHMARK(same_thread)->Name("crossing/same_thread")->Apply(batch_sizes)->UseRealTime();

}  // namespace
}  // namespace sg

SG_BENCHMARK_MAIN()
