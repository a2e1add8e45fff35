// Threads that stay parked between streams, so that a pooled stream (result_stream.h) hands its
// producer loop to a thread that already exists instead of starting one per query. This is how
// the seed's engine ran its producer (a task on the async runtime's workers, not an OS thread).
//
// Why a pool at all: an eager stream pays a thread start + join on every query, plus, with
// mimalloc 2.0.9 (the default allocator), an expensive exit of a thread whose allocations outlive
// it (a producer's output rows always do); a pooled one pays neither after the first
// (docs/design-notes.md#producer-pool).
//
// Usage mirrors std::thread: start() runs a task on a parked thread (a new one when none is
// parked) and returns a Lease; Lease::join() waits for the task to return and parks the thread
// again. The pool's destructor joins every thread it started; every lease must be joined first.
//
// Waiting: by default both sides block at once (a condition variable), and each hand-off wakes
// a sleeping thread, the expensive part where idle CPUs halt (docs/design-notes.md#producer-pool).
// A pool made with a spin time first busy-waits that long (a thread after its task, for the next
// one; join(), for the task to end) and only then blocks, the LMAX Disruptor's spin-then-block
// wait strategy. It trades CPU for latency: the time spun is counted in stats(), because no
// query's own CPU figures include a worker's wait for the next.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace sg {

class ProducerPool {
  struct Worker;

 public:
  class Lease {
   public:
    Lease() = default;
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    bool joinable() const { return worker_ != nullptr; }
    // Waits until the task has returned, then gives the thread back to the pool.
    void join();

   private:
    friend class ProducerPool;
    Lease(ProducerPool* pool, Worker* worker) : pool_(pool), worker_(worker) {}
    ProducerPool* pool_ = nullptr;
    Worker* worker_ = nullptr;
  };

  struct Stats {
    uint64_t tasks = 0;    // started
    uint64_t spin_ns = 0;  // busy-waited, by the pool's threads and by join()
  };

  explicit ProducerPool(std::chrono::nanoseconds spin = std::chrono::nanoseconds(0));
  ProducerPool(const ProducerPool&) = delete;
  ProducerPool& operator=(const ProducerPool&) = delete;
  ~ProducerPool();

  // Runs `task` on a parked thread, or on a new one when every thread is leased. The task must
  // not throw (as with std::thread, an escaping exception terminates the process).
  Lease start(std::function<void()> task);

  // Threads started so far (each parked or leased).
  size_t threads() const;
  // Totals so far; exact once every lease is joined.
  Stats stats() const;

 private:
  void park(Worker* worker);
  // Busy-waits until `done()` or the spin time has passed; counts the time in stats.
  template <class Done>
  void spin_until(Done done);

  const std::chrono::nanoseconds spin_;
  std::atomic<uint64_t> tasks_{0};
  std::atomic<uint64_t> spin_ns_{0};

  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Worker>> workers_;  // every thread started
  std::vector<Worker*> parked_;                   // those waiting for a task
};

}  // namespace sg
