// The blocking, closable, abortable RecordQueue built once over any non-blocking bounded queue.
//
// Each library adapter (queue_*.cpp) only says how to try a push and a pop without blocking; the
// waiting, close/abort handling and statistics live here, so every library is measured with the
// same waiting logic and the comparison is about the queues themselves.
//
// A Ring must provide, for one producer thread and one consumer thread:
//   bool   try_push(RecordPtr& item);              // moves item in; false when full
//   size_t try_push_bulk(std::span<RecordPtr> s);  // moves a prefix of s in; returns its length
//   size_t try_pop_bulk(Batch& out, size_t max);   // appends 0..max items
// must hold at least `capacity` items (a producer waiting for half of it to drain would spin
// otherwise), and its destructor must release whatever is still inside.
#pragma once

#include <atomic>
#include <cassert>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <utility>

#include "harness/queues/blocking_waiter.h"
#include "harness/queues/record_queue.h"

namespace sg {

template <class Ring>
class RingRecordQueue final : public RecordQueue {
 public:
  explicit RingRecordQueue(size_t capacity) : ring_(capacity), resume_level_(capacity / 2) {}

  bool push(RecordPtr&& item) override {
    ++producer_.stats.push_calls;
    auto try_one = [&] { return ring_.try_push(item) ? size_t{1} : size_t{0}; };
    return produce(try_one) != 0;
  }

  bool push_bulk(std::span<RecordPtr> items) override {
    ++producer_.stats.push_calls;
    size_t done = 0;
    while (done < items.size()) {
      size_t n = produce([&] { return ring_.try_push_bulk(items.subspan(done)); });
      if (n == 0) return false;  // aborted; items[done..] are still the caller's
      done += n;
    }
    return true;
  }

  size_t pop_bulk(Batch& out, size_t max) override {
    assert(max > 0 && "pop_bulk needs room for at least one item");
    int spins = 0;
    for (;;) {
      // Read the state before trying: if the producer had closed by then, every item it pushed
      // is visible to this try, so "closed and the try found nothing" means drained.
      const uint32_t state = state_.load(std::memory_order_acquire);
      if (state & kAborted) return 0;
      if (size_t n = ring_.try_pop_bulk(out, max)) return popped(n);
      if (state & kClosed) return 0;
      if (spins < kSpinBeforeBlocking) {
        ++spins;
        cpu_relax();
        continue;
      }
      EventCount::Key key = not_empty_.prepare_wait();
      if (size_t n = ring_.try_pop_bulk(out, max)) {
        not_empty_.cancel_wait();
        return popped(n);
      }
      if (state_.load(std::memory_order_acquire) != 0) {
        not_empty_.cancel_wait();  // closed or aborted meanwhile: the loop decides which
        continue;
      }
      ++consumer_.stats.consumer_waits;
      if (!not_empty_.wait(key)) ++consumer_.stats.wait_timeouts;
      spins = 0;
    }
  }

  void close() override {
    assert(!(state_.load(std::memory_order_relaxed) & kClosed) && "close() called twice");
    state_.fetch_or(kClosed, std::memory_order_acq_rel);
    not_empty_.notify();
  }

  void abort() override {
    state_.fetch_or(kAborted, std::memory_order_acq_rel);
    not_empty_.notify();
    not_full_.notify();
  }

  void drain(Batch& out) override {
    while (ring_.try_pop_bulk(out, kDrainStep) != 0) {
    }
  }

  QueueStats stats() const override {
    QueueStats s = producer_.stats;
    s.items_popped = consumer_.stats.items_popped;
    s.pop_calls = consumer_.stats.pop_calls;
    s.consumer_waits = consumer_.stats.consumer_waits;
    s.wait_timeouts += consumer_.stats.wait_timeouts;
    return s;
  }

 private:
  static constexpr uint32_t kClosed = 1;
  static constexpr uint32_t kAborted = 2;
  static constexpr size_t kDrainStep = 4096;

  // Runs try_push (returns how many items it moved in) until it moves at least one, blocking
  // while the ring is full. Returns 0 only when the queue was aborted.
  //
  // Blocking waits for the consumer to take the queue down to resume_level_ (see record_queue.h):
  // the producer publishes the pop count it waits for in resume_at_, and the consumer notifies
  // only once its pops reach it. Why no wake-up is lost: the consumer publishes popped_total_
  // before it decides, and the producer re-checks popped_total_ after prepare_wait(), so the
  // EventCount argument (blocking_waiter.h) covers the pair. resume_at_ only grows and a stale
  // read of it is smaller, so a consumer reading it late notifies early (a spurious wake-up,
  // re-checked), never late. The re-check is "drained to the level", not "one slot free": with
  // the latter the producer would go back to refilling one pop at a time.
  template <class TryPush>
  size_t produce(TryPush try_push) {
    assert(!(state_.load(std::memory_order_relaxed) & kClosed) && "push after close()");
    int spins = 0;
    for (;;) {
      if (state_.load(std::memory_order_relaxed) & kAborted) return 0;
      if (size_t n = try_push()) return pushed(n);
      if (spins < kSpinBeforeBlocking) {
        ++spins;
        cpu_relax();
        continue;
      }
      const uint64_t pushed_so_far = producer_.stats.items_pushed;
      const uint64_t target = pushed_so_far > resume_level_ ? pushed_so_far - resume_level_ : 0;
      resume_at_.store(target, std::memory_order_relaxed);
      EventCount::Key key = not_full_.prepare_wait();
      if (popped_total_.load(std::memory_order_acquire) >= target) {
        not_full_.cancel_wait();  // drained far enough meanwhile: push again
        spins = 0;
        continue;
      }
      if (state_.load(std::memory_order_acquire) & kAborted) {
        not_full_.cancel_wait();
        return 0;
      }
      ++producer_.stats.producer_waits;
      if (!not_full_.wait(key)) ++producer_.stats.wait_timeouts;
      spins = 0;
    }
  }

  size_t pushed(size_t n) {
    producer_.stats.items_pushed += n;
    not_empty_.notify();
    return n;
  }

  size_t popped(size_t n) {
    ++consumer_.stats.pop_calls;
    const uint64_t total = consumer_.stats.items_popped += n;
    popped_total_.store(total, std::memory_order_release);
    // resume_at_ changes only when the producer blocks, so this read stays in this core's cache.
    if (total >= resume_at_.load(std::memory_order_relaxed)) not_full_.notify();
    return n;
  }

  // Each side writes only its own statistics, on its own cache line: no atomics needed, and no
  // false sharing on the measured path. stats() is read after both threads are done.
  struct alignas(64) SideStats {
    QueueStats stats;
  };

  Ring ring_;
  const uint64_t resume_level_;                 // a blocked producer resumes at this many items
  alignas(64) std::atomic<uint32_t> state_{0};  // kClosed | kAborted
  alignas(64) std::atomic<uint64_t> popped_total_{0};  // the consumer's items_popped, published
  alignas(64) std::atomic<uint64_t> resume_at_{0};     // popped_total_ a blocked producer awaits
  alignas(64) EventCount not_empty_;            // the consumer waits here, the producer notifies
  alignas(64) EventCount not_full_;             // the producer waits here, the consumer notifies
  SideStats producer_;
  SideStats consumer_;
};

}  // namespace sg
