// boost::lockfree::spsc_queue: a wait-free ring buffer for exactly one producer and one consumer,
// sized at run time. It copies elements in and out (no move support in Boost 1.74), so it holds
// raw Record pointers whose reference was handed over with RecordPtr::release(); copying a
// RecordPtr instead would cost two atomic count updates per item.
#include <algorithm>

#include <boost/lockfree/spsc_queue.hpp>

#include "harness/queues/queue_adapters.h"
#include "harness/queues/ring_record_queue.h"

namespace sg::queues {
namespace {

class BoostSpscRing {
 public:
  explicit BoostSpscRing(size_t capacity) : ring_(capacity) {}
  ~BoostSpscRing() {
    ring_.consume_all([](const Record* r) { RecordPtr::adopt(r); });
  }

  bool try_push(RecordPtr& item) {
    if (!ring_.write_available()) return false;
    ring_.push(item.release());  // cannot fail: this thread is the only one that fills it
    return true;
  }

  size_t try_push_bulk(std::span<RecordPtr> items) {
    const size_t n = std::min(ring_.write_available(), items.size());
    for (size_t done = 0; done < n;) {
      const Record* chunk[kChunk];
      const size_t k = std::min(kChunk, n - done);
      for (size_t i = 0; i < k; ++i) chunk[i] = items[done + i].release();
      ring_.push(chunk, k);
      done += k;
    }
    return n;
  }

  size_t try_pop_bulk(Batch& out, size_t max) {
    size_t total = 0;
    while (total < max) {
      const Record* chunk[kChunk];
      const size_t k = ring_.pop(chunk, std::min(kChunk, max - total));
      for (size_t i = 0; i < k; ++i) out.push_back(RecordPtr::adopt(chunk[i]));
      total += k;
      if (k < kChunk) break;  // drained what was there
    }
    return total;
  }

 private:
  static constexpr size_t kChunk = 64;  // raw pointers converted per step, on the stack
  boost::lockfree::spsc_queue<const Record*> ring_;
};

}  // namespace

std::unique_ptr<RecordQueue> make_boost_spsc(size_t capacity) {
  return std::make_unique<RingRecordQueue<BoostSpscRing>>(capacity);
}

}  // namespace sg::queues
