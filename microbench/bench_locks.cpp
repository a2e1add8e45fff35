// What a lock costs: one lock + unlock around an almost empty critical section (a counter
// increment), uncontended (one thread) and contended (two threads on the same lock, so the
// cache line and, for the blocking locks, the futex go back and forth). The seeds' per-record
// versus per-batch locking is this number times the records (or batches) per second.
#include <atomic>
#include <mutex>
#include <shared_mutex>

#include "harness/queues/blocking_waiter.h"  // cpu_relax
#include "microbench/quick_main.h"

namespace sg {
namespace {

// Test-and-test-and-set: spins on a plain load (the line stays shared while it is held) and only
// tries the exchange when the lock looks free.
class SpinLock {
 public:
  void lock() {
    while (locked_.exchange(true, std::memory_order_acquire)) {
      while (locked_.load(std::memory_order_relaxed)) cpu_relax();
    }
  }
  void unlock() { locked_.store(false, std::memory_order_release); }

 private:
  std::atomic<bool> locked_{false};
};

// Shared by the threads of one benchmark run (Threads(2) runs the function on two threads).
struct alignas(64) Shared {
  std::mutex mutex;
  std::shared_mutex shared_mutex;
  SpinLock spin;
  uint64_t counter = 0;
};
Shared shared;

void mutex_lock_unlock(benchmark::State& state) {
  for (auto _ : state) {
    std::lock_guard lock(shared.mutex);
    benchmark::DoNotOptimize(++shared.counter);
  }
  state.SetItemsProcessed(state.iterations());
}

void shared_mutex_exclusive(benchmark::State& state) {
  for (auto _ : state) {
    std::unique_lock lock(shared.shared_mutex);
    benchmark::DoNotOptimize(++shared.counter);
  }
  state.SetItemsProcessed(state.iterations());
}

void shared_mutex_shared(benchmark::State& state) {
  for (auto _ : state) {
    std::shared_lock lock(shared.shared_mutex);
    benchmark::DoNotOptimize(shared.counter);  // readers only read
  }
  state.SetItemsProcessed(state.iterations());
}

void spinlock_lock_unlock(benchmark::State& state) {
  for (auto _ : state) {
    std::lock_guard lock(shared.spin);
    benchmark::DoNotOptimize(++shared.counter);
  }
  state.SetItemsProcessed(state.iterations());
}

// For scale: the same counter bumped with one atomic instruction and no lock.
void atomic_increment(benchmark::State& state) {
  static std::atomic<uint64_t> counter{0};
  for (auto _ : state) benchmark::DoNotOptimize(counter.fetch_add(1, std::memory_order_relaxed));
  state.SetItemsProcessed(state.iterations());
}

// Every lock twice: alone, and with two threads on it (time per lock+unlock per thread, wall
// clock, since a contended thread also waits).
#define SG_LOCK_BENCHMARK(fn)                      \
  BENCHMARK(fn)->Name("lock/" #fn "/uncontended"); \
  BENCHMARK(fn)->Name("lock/" #fn "/contended")->Threads(2)->UseRealTime()

SG_LOCK_BENCHMARK(mutex_lock_unlock);
SG_LOCK_BENCHMARK(shared_mutex_exclusive);
SG_LOCK_BENCHMARK(shared_mutex_shared);
SG_LOCK_BENCHMARK(spinlock_lock_unlock);
SG_LOCK_BENCHMARK(atomic_increment);

}  // namespace
}  // namespace sg

SG_BENCHMARK_MAIN()
