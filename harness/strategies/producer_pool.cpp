#include "harness/strategies/producer_pool.h"

#include <cassert>
#include <utility>

#include "harness/job/phase_clock.h"
#include "harness/queues/blocking_waiter.h"  // cpu_relax

namespace sg {

struct ProducerPool::Worker {
  std::mutex mutex;
  // One condition variable for both directions (a task arrives, the task is done): each side
  // waits for its own predicate, so waking both is harmless and there is nothing to mix up.
  std::condition_variable changed;
  std::function<void()> task;  // set by start(), taken by the thread; under `mutex`
  bool stopping = false;       // under `mutex`
  // Written under `mutex` too, and atomic so that a spinning side can watch them without it.
  std::atomic<bool> has_task{false};
  std::atomic<bool> busy{false};  // from start() until the task has returned
  std::thread thread;

  void loop(ProducerPool& pool) noexcept {
    for (;;) {
      // Spins first (when the pool spins): a task handed over meanwhile is taken with no
      // wake-up. A stopping pool has no leases, so no task can come while this spins.
      pool.spin_until([this] { return has_task.load(std::memory_order_acquire); });
      std::function<void()> next;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [this] { return has_task.load(std::memory_order_relaxed) || stopping; });
        if (!has_task.load(std::memory_order_relaxed)) return;  // stopping, nothing left to run
        next = std::move(task);
        task = nullptr;
        has_task.store(false, std::memory_order_relaxed);
      }
      next();          // noexcept loop: a throwing task terminates, as it would on a std::thread
      next = nullptr;  // the task's captures go before the joiner is told it is done
      {
        std::lock_guard lock(mutex);
        busy.store(false, std::memory_order_release);
      }
      changed.notify_all();
    }
  }
};

template <class Done>
void ProducerPool::spin_until(Done done) {
  if (spin_.count() == 0 || done()) return;
  const uint64_t start = PhaseClock::now_ns();
  const uint64_t limit = start + static_cast<uint64_t>(spin_.count());
  uint64_t now = start;
  while (!done() && now < limit) {
    cpu_relax();
    now = PhaseClock::now_ns();
  }
  spin_ns_.fetch_add(now - start, std::memory_order_relaxed);
}

ProducerPool::Lease::Lease(Lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)), worker_(std::exchange(other.worker_, nullptr)) {}

ProducerPool::Lease& ProducerPool::Lease::operator=(Lease&& other) noexcept {
  assert(!joinable() && "a lease must be joined before it is replaced");
  pool_ = std::exchange(other.pool_, nullptr);
  worker_ = std::exchange(other.worker_, nullptr);
  return *this;
}

ProducerPool::Lease::~Lease() {
  assert(!joinable() && "a lease must be joined before it is destroyed (as a std::thread)");
}

void ProducerPool::Lease::join() {
  assert(joinable() && "join() on a lease that holds no thread");
  Worker* w = worker_;
  pool_->spin_until([w] { return !w->busy.load(std::memory_order_acquire); });
  {
    std::unique_lock lock(w->mutex);
    w->changed.wait(lock, [w] { return !w->busy.load(std::memory_order_relaxed); });
  }
  pool_->park(std::exchange(worker_, nullptr));
  pool_ = nullptr;
}

ProducerPool::ProducerPool(std::chrono::nanoseconds spin) : spin_(spin) {}

ProducerPool::~ProducerPool() {
  std::lock_guard lock(mutex_);
  assert(parked_.size() == workers_.size() && "every lease must be joined before the pool goes");
  for (auto& w : workers_) {
    {
      std::lock_guard worker_lock(w->mutex);
      w->stopping = true;
    }
    w->changed.notify_all();
  }
  for (auto& w : workers_) w->thread.join();
}

ProducerPool::Lease ProducerPool::start(std::function<void()> task) {
  assert(task && "start() needs a task");
  tasks_.fetch_add(1, std::memory_order_relaxed);
  Worker* worker = nullptr;
  {
    std::lock_guard lock(mutex_);
    if (parked_.empty()) {
      workers_.push_back(std::make_unique<Worker>());
      worker = workers_.back().get();
      // Before the thread exists: nothing else can see the worker yet.
      worker->busy.store(true, std::memory_order_relaxed);
      worker->task = std::move(task);
      worker->has_task.store(true, std::memory_order_relaxed);
      worker->thread = std::thread([this, worker] { worker->loop(*this); });
      return Lease(this, worker);
    }
    worker = parked_.back();
    parked_.pop_back();
  }
  {
    std::lock_guard lock(worker->mutex);
    worker->busy.store(true, std::memory_order_relaxed);
    worker->task = std::move(task);
    worker->has_task.store(true, std::memory_order_release);
  }
  // No system call when the thread is spinning rather than waiting: glibc skips the futex
  // wake when the condition variable has no waiter.
  worker->changed.notify_all();
  return Lease(this, worker);
}

size_t ProducerPool::threads() const {
  std::lock_guard lock(mutex_);
  return workers_.size();
}

ProducerPool::Stats ProducerPool::stats() const {
  return {tasks_.load(std::memory_order_relaxed), spin_ns_.load(std::memory_order_relaxed)};
}

void ProducerPool::park(Worker* worker) {
  std::lock_guard lock(mutex_);
  parked_.push_back(worker);
}

}  // namespace sg
