// What threads and hand-offs between them cost: starting one (pinned or not), giving the CPU
// away, and a round trip to another thread (there and back) by each waiting mechanism the harness
// could use. The ping-pong times are per round trip, i.e. two one-way hand-offs (two wake-ups
// when blocking).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "harness/job/run_stats.h"
#include "harness/job/thread_placement.h"
#include "harness/queues/blocking_waiter.h"  // cpu_relax, EventCount
#include "microbench/busy_spell.h"
#include "microbench/line_probe.h"
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

// The same, with the thread pinning itself first (ThreadPin), as every thread of a pinned matrix
// cell does. The creator is held on slot 0's CPU, as a pinned cell's job thread is, and a new
// thread starts on its creator's CPU: pinning to that CPU costs the affinity call only, pinning to
// another moves the thread as well. `other_cpu` needs two CPUs (else it is the same CPU again).
void thread_start_join_pinned(benchmark::State& state, int thread_slot) {
  ThreadPin creator(true, 0);
  for (auto _ : state) {
    std::thread worker([thread_slot] { ThreadPin pin(true, thread_slot); });
    worker.join();
  }
  state.SetItemsProcessed(state.iterations());
}

// Both, each start and join after a busy spell of the creator (microbench/busy_spell.h), as a
// matrix pass starts its threads; `thread_slot` < 0: unpinned, as thread_start_join. The
// busy_us argument only names the spell.
void thread_start_join_after_busy(benchmark::State& state, int thread_slot) {
  ThreadPin creator(thread_slot >= 0, 0);
  for (auto _ : state) {
    bench::after_busy_spell(state, [thread_slot] {
      std::thread worker([thread_slot] { ThreadPin pin(thread_slot >= 0, thread_slot); });
      worker.join();
    });
  }
  state.SetItemsProcessed(state.iterations());
}

// What a new thread's first allocations cost beyond the same allocations on a warm thread: the
// allocator sets up the new thread's heap (mimalloc keeps one per thread). Both variants start
// and join a thread pinned where it was created, as start_join_pinned/same_cpu, and make
// kFirstBlocks blocks, freed at the end: `new_thread` on the new thread, `warm_thread` on the
// creator after the join. Their difference prices fresh_heaps, once per thread a strategy starts.
constexpr int kFirstBlocks = 1000;

void allocate_blocks() {
  std::vector<std::unique_ptr<char[]>> blocks;
  blocks.reserve(kFirstBlocks);
  for (int i = 0; i < kFirstBlocks; ++i) {
    blocks.emplace_back(new char[128]);
    blocks.back()[0] = static_cast<char>(i);  // touch it, as a record being filled is
  }
  benchmark::DoNotOptimize(blocks.data());
}

void first_allocations(benchmark::State& state, bool on_new_thread) {
  ThreadPin creator(true, 0);
  for (auto _ : state) {
    std::thread worker([on_new_thread] {
      ThreadPin pin(true, 0);
      if (on_new_thread) allocate_blocks();
    });
    worker.join();
    if (!on_new_thread) allocate_blocks();
  }
  state.SetItemsProcessed(state.iterations());
}

// What a thread's own meter costs: every thread a strategy starts measures its lifetime, CPU time
// and context switches (ThreadMeter, harness/job/run_stats.h) from its first line to its last,
// phase timing off as in a headline pass. Our instrumentation: the model prices it as
// thread_meters, once per thread a strategy starts, apart from the threads' own start.
void thread_meter(benchmark::State& state) {
  uint64_t sum = 0;
  for (auto _ : state) {
    ThreadMeter meter("partition 0", /*phase_timing=*/false);
    sum += meter.finish().cpu_ns;
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}

void yield(benchmark::State& state) {
  for (auto _ : state) std::this_thread::yield();
  state.SetItemsProcessed(state.iterations());
}

// A worker thread waits on a condition variable for a task (a std::function, as a thread pool
// would hold), runs it, and hands the result back through the same mutex and a second condvar.
void task_to_waiting_worker(benchmark::State& state) {
  const bench::LineProbe line_probe(state);
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
  const bench::LineProbe line_probe(state);
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
  const bench::LineProbe line_probe(state);
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
  const bench::LineProbe line_probe(state);
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

// A channel of one counter: post() publishes the next value and wakes the other side,
// wait_past(seen) blocks until a value past `seen` (false once stopped).
// streaming's channel: a mutex, a condition variable (result_stream.cpp).
class CondvarChannel {
 public:
  void post() {
    {
      std::lock_guard lock(mutex_);
      ++posted_;
    }
    changed_.notify_one();
  }
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopped_ = true;
    }
    changed_.notify_one();
  }
  bool wait_past(uint64_t seen) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return posted_ > seen || stopped_; });
    return posted_ > seen;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  uint64_t posted_ = 0;
  bool stopped_ = false;
};

// The queues' blocking side: an EventCount over the futex (blocking_waiter.h).
class EventCountChannel {
 public:
  void post() {
    posted_.fetch_add(1, std::memory_order_release);
    waiter_.notify();
  }
  void stop() {
    stopped_.store(true, std::memory_order_release);
    waiter_.notify();
  }
  bool posted_past(uint64_t seen) const { return posted_.load(std::memory_order_acquire) > seen; }
  uint64_t sleeps() const { return sleeps_.load(std::memory_order_relaxed); }
  bool wait_past(uint64_t seen) {
    for (;;) {
      if (posted_.load(std::memory_order_acquire) > seen) return true;
      if (stopped_.load(std::memory_order_acquire)) return false;
      const EventCount::Key key = waiter_.prepare_wait();
      if (posted_.load(std::memory_order_acquire) > seen ||
          stopped_.load(std::memory_order_acquire)) {
        waiter_.cancel_wait();
        continue;
      }
      sleeps_.fetch_add(1, std::memory_order_relaxed);
      waiter_.wait(key);
    }
  }

 private:
  std::atomic<uint64_t> posted_{0};
  std::atomic<bool> stopped_{false};
  std::atomic<uint64_t> sleeps_{0};
  EventCount waiter_;
};

// Waking a thread that went to sleep because it ran out of work (streaming's job thread on an
// empty channel, adaptive's worker on an empty queue): what the waker's own path pays per wake.
// The sleeper gets `gap_us` to block and let its CPU idle, as it does while a producer works on a
// batch; only the waker's publish + wake is timed. Pinned as a pinned cell's threads are: the
// sleeper on slot 0's CPU, the waker on slot 1's.
template <class Channel>
void wake_sleeping(benchmark::State& state) {
  const bench::LineProbe line_probe(state);
  using Clock = std::chrono::steady_clock;
  const auto gap = std::chrono::microseconds(state.range(0));
  Channel channel;
  std::atomic<uint64_t> woken{0};
  std::thread sleeper([&] {
    ThreadPin pin(true, 0);
    uint64_t seen = 0;
    while (channel.wait_past(seen)) woken.store(++seen, std::memory_order_release);
  });
  ThreadPin pin(true, 1);
  uint64_t sent = 0;
  for (auto _ : state) {
    while (woken.load(std::memory_order_acquire) != sent) cpu_relax();
    const Clock::time_point asleep = Clock::now() + gap;
    while (Clock::now() < asleep) cpu_relax();
    const Clock::time_point start = Clock::now();
    channel.post();
    state.SetIterationTime(std::chrono::duration<double>(Clock::now() - start).count());
    ++sent;
  }
  while (woken.load(std::memory_order_acquire) != sent) cpu_relax();
  channel.stop();
  sleeper.join();
  state.SetItemsProcessed(state.iterations());
}

// The same wake where the sleeper shares the waker's CPU, as adaptive's workers pinned beside the
// reader do when threads outnumber CPUs: no idle CPU to rouse, but the CPU switches to the sleeper
// and back. Timed from the post until the waker runs again after the sleeper took the value, spun
// as a queue's consumer does and blocked: what the shared CPU spends on the wake besides the two
// threads' own work. `slept` is the share of posts that found the sleeper blocked (1 expected).
void wake_sleeping_same_cpu(benchmark::State& state) {
  using Clock = std::chrono::steady_clock;
  const auto gap = std::chrono::microseconds(state.range(0));
  EventCountChannel channel;
  std::atomic<uint64_t> woken{0};
  std::thread sleeper([&] {
    ThreadPin pin(true, 0);
    uint64_t seen = 0;
    for (;;) {
      for (int spins = 0; spins < kSpinBeforeBlocking && !channel.posted_past(seen); ++spins)
        cpu_relax();
      if (!channel.wait_past(seen)) return;
      woken.store(++seen, std::memory_order_release);
    }
  });
  ThreadPin pin(true, 0);
  uint64_t sent = 0;
  while (channel.sleeps() == 0) std::this_thread::yield();  // blocked once before the first post
  const uint64_t sleeps_before = channel.sleeps();
  for (auto _ : state) {
    const Clock::time_point asleep = Clock::now() + gap;
    while (Clock::now() < asleep) cpu_relax();
    const Clock::time_point start = Clock::now();
    channel.post();
    ++sent;
    // The sleeper needs this CPU: give it up until the sleeper has taken the value and blocked.
    while (woken.load(std::memory_order_acquire) != sent) std::this_thread::yield();
    state.SetIterationTime(std::chrono::duration<double>(Clock::now() - start).count());
  }
  const uint64_t sleeps = channel.sleeps() - sleeps_before;
  channel.stop();
  sleeper.join();
  state.SetItemsProcessed(state.iterations());
  state.counters["slept"] = static_cast<double>(sleeps) / std::max<double>(1, state.iterations());
}

BENCHMARK(thread_start_join)->Name("thread/start_join")->UseRealTime();
BENCHMARK_CAPTURE(thread_start_join_pinned, same_cpu, 0)
    ->Name("thread/start_join_pinned/same_cpu")
    ->UseRealTime();
BENCHMARK_CAPTURE(thread_start_join_pinned, other_cpu, 1)
    ->Name("thread/start_join_pinned/other_cpu")
    ->UseRealTime();
const bool busy_starts_registered = [] {
  for (const auto& [name, slot] : {std::pair{"thread/start_join", -1},
                                   {"thread/start_join_pinned/same_cpu", 0},
                                   {"thread/start_join_pinned/other_cpu", 1}}) {
    bench::as_busy_variant(benchmark::RegisterBenchmark(name, thread_start_join_after_busy, slot)
                               ->ArgName("busy_us")
                               ->Arg(bench::kBusyUs));
  }
  return true;
}();
BENCHMARK(thread_meter)->Name("thread/meter");
BENCHMARK_CAPTURE(first_allocations, new_thread, true)
    ->Name("thread/first_allocations/new_thread")
    ->UseRealTime();
BENCHMARK_CAPTURE(first_allocations, warm_thread, false)
    ->Name("thread/first_allocations/warm_thread")
    ->UseRealTime();
BENCHMARK(yield)->Name("thread/yield");
BENCHMARK(task_to_waiting_worker)->Name("thread/task_to_waiting_worker")->UseRealTime();
BENCHMARK(condvar_ping_pong)->Name("thread/ping_pong/condvar")->UseRealTime();
BENCHMARK(spin_ping_pong)->Name("thread/ping_pong/spin")->UseRealTime();
BENCHMARK(atomic_wait_ping_pong)->Name("thread/ping_pong/atomic_wait")->UseRealTime();
BENCHMARK(wake_sleeping<CondvarChannel>)
    ->Name("thread/wake_sleeping/condvar")
    ->ArgName("gap_us")
    ->Arg(10)
    ->Arg(100)
    ->UseManualTime();
BENCHMARK(wake_sleeping<EventCountChannel>)
    ->Name("thread/wake_sleeping/event_count")
    ->ArgName("gap_us")
    ->Arg(10)
    ->Arg(100)
    ->UseManualTime();
BENCHMARK(wake_sleeping_same_cpu)
    ->Name("thread/wake_sleeping/event_count/same_cpu")
    ->ArgName("gap_us")
    ->Arg(10)
    ->Arg(100)
    ->UseManualTime();

}  // namespace
}  // namespace sg

SG_BENCHMARK_MAIN()
