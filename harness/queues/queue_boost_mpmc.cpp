// boost::lockfree::queue: a lock-free multi-producer multi-consumer linked queue (Michael-Scott)
// over a preallocated node pool. Used here with one producer and one consumer, it shows what the
// generality of MPMC costs compared with the SPSC queues. It needs trivially copyable elements,
// so it holds raw Record pointers handed over with RecordPtr::release(). bounded_push() never
// allocates: the pool of `capacity` nodes is the bound.
#include <boost/lockfree/queue.hpp>

#include "harness/queues/queue_adapters.h"
#include "harness/queues/ring_record_queue.h"

namespace sg::queues {
namespace {

class BoostMpmcRing {
 public:
  explicit BoostMpmcRing(size_t capacity) : queue_(capacity) {}
  ~BoostMpmcRing() {
    queue_.consume_all([](const Record* r) { RecordPtr::adopt(r); });
  }

  bool try_push(RecordPtr& item) {
    if (!queue_.bounded_push(item.get())) return false;
    item.release();  // the queue holds the reference now
    return true;
  }

  // The library has no bulk operations: one push per item.
  size_t try_push_bulk(std::span<RecordPtr> items) {
    size_t n = 0;
    while (n < items.size() && try_push(items[n])) ++n;
    return n;
  }

  size_t try_pop_bulk(Batch& out, size_t max) {
    size_t n = 0;
    const Record* r;
    while (n < max && queue_.pop(r)) {
      out.push_back(RecordPtr::adopt(r));
      ++n;
    }
    return n;
  }

 private:
  boost::lockfree::queue<const Record*> queue_;
};

}  // namespace

std::unique_ptr<RecordQueue> make_boost_mpmc(size_t capacity) {
  return std::make_unique<RingRecordQueue<BoostMpmcRing>>(capacity);
}

}  // namespace sg::queues
