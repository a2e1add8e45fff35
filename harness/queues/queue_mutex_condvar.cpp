// The baseline: a ring of RecordPtr behind one std::mutex, with a condition variable per side.
// This is what a straightforward implementation looks like; the lock-free queues have to beat
// it to be worth their complexity. Like them it signals only when the other side is waiting
// (tracked under the lock), wakes a producer blocked on a full queue only once the queue is down
// to half (record_queue.h says why), and moves as many items as fit per lock acquisition in bulk
// calls.
#include <algorithm>
#include <cassert>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "harness/queues/queue_adapters.h"

namespace sg::queues {
namespace {

class MutexCondvarQueue final : public RecordQueue {
 public:
  explicit MutexCondvarQueue(size_t capacity) : ring_(capacity), resume_level_(capacity / 2) {}

  bool push(RecordPtr&& item) override { return push_bulk(std::span<RecordPtr>(&item, 1)); }

  bool push_bulk(std::span<RecordPtr> items) override {
    std::unique_lock lock(mutex_);
    ++stats_.push_calls;
    assert(!closed_ && "push after close()");
    size_t done = 0;
    while (done < items.size()) {
      if (aborted_) return false;  // items[done..] stay with the caller
      if (count_ == ring_.size()) {
        ++stats_.producer_waits;
        ++producers_waiting_;
        not_full_.wait(lock, [&] { return aborted_ || count_ <= resume_level_; });
        --producers_waiting_;
        continue;
      }
      const size_t n = std::min(ring_.size() - count_, items.size() - done);
      size_t tail = head_ + count_;
      if (tail >= ring_.size()) tail -= ring_.size();
      for (size_t i = 0; i < n; ++i) {
        ring_[tail] = std::move(items[done + i]);
        if (++tail == ring_.size()) tail = 0;
      }
      count_ += n;
      done += n;
      stats_.items_pushed += n;
      if (consumers_waiting_) not_empty_.notify_one();
    }
    return true;
  }

  size_t pop_bulk(Batch& out, size_t max) override {
    assert(max > 0 && "pop_bulk needs room for at least one item");
    std::unique_lock lock(mutex_);
    while (!aborted_ && count_ == 0 && !closed_) {
      ++stats_.consumer_waits;
      ++consumers_waiting_;
      not_empty_.wait(lock, [&] { return aborted_ || count_ > 0 || closed_; });
      --consumers_waiting_;
    }
    if (aborted_ || count_ == 0) return 0;  // aborted, or closed and drained
    const size_t n = std::min(count_, max);
    for (size_t i = 0; i < n; ++i) {
      out.push_back(std::move(ring_[head_]));
      if (++head_ == ring_.size()) head_ = 0;
    }
    count_ -= n;
    ++stats_.pop_calls;
    stats_.items_popped += n;
    if (producers_waiting_ && count_ <= resume_level_) not_full_.notify_one();
    return n;
  }

  void close() override {
    std::lock_guard lock(mutex_);
    assert(!closed_ && "close() called twice");
    closed_ = true;
    not_empty_.notify_all();
  }

  void abort() override {
    std::lock_guard lock(mutex_);
    aborted_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
  }

  void drain(Batch& out) override {
    std::lock_guard lock(mutex_);
    for (; count_ > 0; --count_) {
      out.push_back(std::move(ring_[head_]));
      if (++head_ == ring_.size()) head_ = 0;
    }
  }

  QueueStats stats() const override {
    std::lock_guard lock(mutex_);
    return stats_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::vector<RecordPtr> ring_;  // slots [head_, head_ + count_) modulo size hold items
  const size_t resume_level_;    // a producer blocked on a full ring resumes at this count
  size_t head_ = 0;
  size_t count_ = 0;
  int producers_waiting_ = 0;
  int consumers_waiting_ = 0;
  bool closed_ = false;
  bool aborted_ = false;
  QueueStats stats_;
};

}  // namespace

std::unique_ptr<RecordQueue> make_mutex_condvar(size_t capacity) {
  return std::make_unique<MutexCondvarQueue>(capacity);
}

}  // namespace sg::queues
