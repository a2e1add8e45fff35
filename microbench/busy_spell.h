// What a matrix pass starts from: the harness has kept the calling thread busy (checks, the
// journal, the cross-core probe, direct's pass) while the other CPU had nothing to run. A thread
// started on, or a hand-off to, a vCPU idle that long costs far more than one to a vCPU that has
// just gone idle, as back-to-back benchmark iterations have it (docs/design-notes.md,
// #streaming-startup). The busy variants spin the calling thread for kBusyUs before each timed
// operation and time the operation alone (manual time).
#pragma once

#include <chrono>

#include <benchmark/benchmark.h>

namespace sg::bench {

// The shortest busy spell after which the other CPU is idle for certain when the operation starts
// (design-notes#streaming-startup: the cost rises steeply up to it, slowly after).
inline constexpr int kBusyUs = 200;
// A fixed count: the untimed busy spells would stretch a short operation's minimum time to
// minutes.
inline constexpr int kBusyIterations = 1000;

// Spins, so that this CPU stays busy while the other one has nothing to run.
inline void stay_busy(std::chrono::microseconds busy) {
  const auto until = std::chrono::steady_clock::now() + busy;
  while (std::chrono::steady_clock::now() < until) {
  }
}

// One iteration: a busy spell (untimed), then `operation`, timed alone.
template <typename Operation>
void after_busy_spell(benchmark::State& state, Operation&& operation) {
  stay_busy(std::chrono::microseconds(kBusyUs));
  const auto start = std::chrono::steady_clock::now();
  operation();
  state.SetIterationTime(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

// Names and times a benchmark as a busy variant: .../busy_us:200/iterations:1000/manual_time.
inline benchmark::internal::Benchmark* as_busy_variant(benchmark::internal::Benchmark* b) {
  return b->UseManualTime()->Iterations(kBusyIterations);
}

}  // namespace sg::bench
