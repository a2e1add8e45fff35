// What threads and hand-offs between them cost: starting one (pinned or not), giving the CPU
// away, and a round trip to another thread (there and back) by each waiting mechanism the harness
// could use. The ping-pong times are per round trip, i.e. two one-way hand-offs (two wake-ups
// when blocking).
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "harness/job/thread_placement.h"
#include "harness/queues/blocking_waiter.h"  // cpu_relax
#include "microbench/quick_main.h"

namespace sg {
namespace {

void thread_start_join(benchmark::State& state) {
  for (auto _ : state) {
    std::thread worker([] {});
    worker.join();
  }
  state.SetItemsProcessed(state.iterations());
}

// The same, with the thread pinning itself to slot 0's CPU first (ThreadPin), as every thread
// of a pinned matrix cell does: the affinity call and the migration it may cause.
void thread_start_join_pinned(benchmark::State& state) {
  for (auto _ : state) {
    std::thread worker([] { ThreadPin pin(true, 0); });
    worker.join();
  }
  state.SetItemsProcessed(state.iterations());
}

void yield(benchmark::State& state) {
  for (auto _ : state) std::this_thread::yield();
  state.SetItemsProcessed(state.iterations());
}

// A worker thread waits on a condition variable for a task (a std::function, as a thread pool
// would hold), runs it, and hands the result back through the same mutex and a second condvar.
void task_to_waiting_worker(benchmark::State& state) {
  std::mutex mutex;
  std::condition_variable task_ready, result_ready;
  std::function<int()> task;
  int result = 0;
  bool has_result = false, stop = false;
  std::thread worker([&] {
    std::unique_lock lock(mutex);
    for (;;) {
      task_ready.wait(lock, [&] { return task || stop; });
      if (stop) return;
      result = task();
      task = nullptr;
      has_result = true;
      result_ready.notify_one();
    }
  });
  int input = 0;
  for (auto _ : state) {
    std::unique_lock lock(mutex);
    task = [x = ++input] { return x * 2; };
    task_ready.notify_one();
    result_ready.wait(lock, [&] { return has_result; });
    has_result = false;
    benchmark::DoNotOptimize(result);
  }
  {
    std::lock_guard lock(mutex);
    stop = true;
  }
  task_ready.notify_one();
  worker.join();
  state.SetItemsProcessed(state.iterations());
}

// Ping-pong: `turn` says whose move it is (0: the benchmark thread, 1: the partner). Each
// mechanism below only differs in how a side waits for its turn and wakes the other.
void condvar_ping_pong(benchmark::State& state) {
  std::mutex mutex;
  std::condition_variable changed;
  int turn = 0;
  bool stop = false;
  std::thread partner([&] {
    std::unique_lock lock(mutex);
    for (;;) {
      changed.wait(lock, [&] { return turn == 1 || stop; });
      if (stop) return;
      turn = 0;
      changed.notify_one();
    }
  });
  for (auto _ : state) {
    std::unique_lock lock(mutex);
    turn = 1;
    changed.notify_one();
    changed.wait(lock, [&] { return turn == 0; });
  }
  {
    std::lock_guard lock(mutex);
    stop = true;
  }
  changed.notify_one();
  partner.join();
  state.SetItemsProcessed(state.iterations());
}

constexpr int kStop = 2;

// Busy-waiting: the lowest latency while both threads have a core, and a whole time slice lost
// whenever the other one does not (two cores shared by several processes).
void spin_ping_pong(benchmark::State& state) {
  std::atomic<int> turn{0};
  std::thread partner([&] {
    for (;;) {
      int t;
      while ((t = turn.load(std::memory_order_acquire)) == 0) cpu_relax();
      if (t == kStop) return;
      turn.store(0, std::memory_order_release);
    }
  });
  for (auto _ : state) {
    turn.store(1, std::memory_order_release);
    while (turn.load(std::memory_order_acquire) != 0) cpu_relax();
  }
  turn.store(kStop, std::memory_order_release);
  partner.join();
  state.SetItemsProcessed(state.iterations());
}

// C++20 atomic wait/notify: a futex on Linux (libstdc++ spins briefly first).
void atomic_wait_ping_pong(benchmark::State& state) {
  std::atomic<int> turn{0};
  std::thread partner([&] {
    for (;;) {
      turn.wait(0, std::memory_order_acquire);
      if (turn.load(std::memory_order_acquire) == kStop) return;
      turn.store(0, std::memory_order_release);
      turn.notify_one();
    }
  });
  for (auto _ : state) {
    turn.store(1, std::memory_order_release);
    turn.notify_one();
    turn.wait(1, std::memory_order_acquire);
  }
  turn.store(kStop, std::memory_order_release);
  turn.notify_one();
  partner.join();
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(thread_start_join)->Name("thread/start_join")->UseRealTime();
BENCHMARK(thread_start_join_pinned)->Name("thread/start_join_pinned")->UseRealTime();
BENCHMARK(yield)->Name("thread/yield");
BENCHMARK(task_to_waiting_worker)->Name("thread/task_to_waiting_worker")->UseRealTime();
BENCHMARK(condvar_ping_pong)->Name("thread/ping_pong/condvar")->UseRealTime();
BENCHMARK(spin_ping_pong)->Name("thread/ping_pong/spin")->UseRealTime();
BENCHMARK(atomic_wait_ping_pong)->Name("thread/ping_pong/atomic_wait")->UseRealTime();

}  // namespace
}  // namespace sg

SG_BENCHMARK_MAIN()
