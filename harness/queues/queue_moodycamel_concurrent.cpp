// moodycamel::ConcurrentQueue: a lock-free MPMC queue built from per-producer sub-queues of
// blocks. Its fast path is the token API (one explicit producer sub-queue, a consumer token that
// remembers where it last found items) and the bulk operations, which is how it is used here.
//
// The library grows without limit, so the bound is ours: the producer counts what it pushed,
// the consumer publishes what it popped, and the producer only re-reads that published count
// when its cached view says the queue is full (one shared-cache-line read per fill-up, not per
// item). RecordPtr moves in and out, so items cross without touching the reference count.
#include <algorithm>
#include <atomic>
#include <iterator>
#include <new>

#include <concurrentqueue/concurrentqueue.h>

#include "harness/queues/queue_adapters.h"
#include "harness/queues/ring_record_queue.h"

namespace sg::queues {
namespace {

// Blocks of 256 items instead of the library's 32. Above 32 items
// (EXPLICIT_BLOCK_EMPTY_COUNTER_THRESHOLD) a block counts its dequeued items with one counter,
// bumped once per bulk dequeue, instead of one flag per item that the consumer sets and the
// producer scans before it reuses the block: with bulk hand-offs of hundreds of records, that was
// a store per record on the consumer and a load per record on the producer
// (docs/design-notes.md#moodycamel-bulk).
struct Traits : moodycamel::ConcurrentQueueDefaultTraits {
  static const size_t BLOCK_SIZE = 256;
};

class ConcurrentRing {
 public:
  // Preallocates blocks for `capacity` items of one explicit producer, so that after start-up
  // the queue recycles its blocks instead of allocating.
  explicit ConcurrentRing(size_t capacity)
      : capacity_(capacity),
        queue_(capacity, /*maxExplicitProducers=*/1, /*maxImplicitProducers=*/0),
        producer_token_(queue_),
        consumer_token_(queue_) {}

  bool try_push(RecordPtr& item) { return try_push_bulk(std::span<RecordPtr>(&item, 1)) == 1; }

  size_t try_push_bulk(std::span<RecordPtr> items) {
    size_t free = capacity_ - (pushed_ - popped_seen_);
    if (free < items.size()) {
      popped_seen_ = popped_.load(std::memory_order_acquire);
      free = capacity_ - (pushed_ - popped_seen_);
    }
    const size_t n = std::min(free, items.size());
    if (n == 0) return 0;
    if (!queue_.enqueue_bulk(producer_token_, std::make_move_iterator(items.begin()), n)) {
      throw std::bad_alloc();  // the library could not allocate a block
    }
    pushed_ += n;
    return n;
  }

  size_t try_pop_bulk(Batch& out, size_t max) {
    // Into slots sized beforehand: through a back_inserter every record paid a push_back
    // (capacity check, vector end reloaded; docs/design-notes.md#moodycamel-bulk). Sized by
    // what the queue holds (an estimate, read from the indices), so that a consumer spinning on an
    // empty queue does not size and shrink a batch on every try.
    max = std::min(max, queue_.size_approx());
    if (max == 0) return 0;
    const size_t old = out.size();
    out.resize(old + max);
    const size_t n = queue_.try_dequeue_bulk(consumer_token_, out.data() + old, max);
    out.resize(old + n);
    if (n) {
      popped_by_consumer_ += n;
      popped_.store(popped_by_consumer_, std::memory_order_release);
    }
    return n;
  }

 private:
  const size_t capacity_;
  moodycamel::ConcurrentQueue<RecordPtr, Traits> queue_;
  moodycamel::ProducerToken producer_token_;
  moodycamel::ConsumerToken consumer_token_;
  // Producer only.
  alignas(64) uint64_t pushed_ = 0;
  uint64_t popped_seen_ = 0;  // the producer's last read of popped_
  // Consumer only, and what it publishes.
  alignas(64) uint64_t popped_by_consumer_ = 0;
  std::atomic<uint64_t> popped_{0};
};

}  // namespace

std::unique_ptr<RecordQueue> make_moodycamel_concurrent(size_t capacity) {
  return std::make_unique<RingRecordQueue<ConcurrentRing>>(capacity);
}

}  // namespace sg::queues
