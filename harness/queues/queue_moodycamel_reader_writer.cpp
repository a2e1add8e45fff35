// moodycamel::ReaderWriterQueue: a single-producer single-consumer queue made of ring-buffer
// blocks. Constructed with the capacity preallocated and filled only with try_enqueue (which
// never allocates), it is bounded; the library rounds each block up to a power of two, so the
// real capacity is at least the one asked for (e.g. 1023 for 1000, 3 for 2). It moves
// RecordPtr in and out, so items cross without touching the reference count.
// The library orders its element accesses with standalone fences, which ThreadSanitizer does not
// model; it carries annotations that tell TSan about them, but turns them on through
// __has_feature, which GCC before 14 lacks. Under GCC's TSan, turn them on the same way.
#if defined(__SANITIZE_THREAD__) && !defined(AE_TSAN_ANNOTATE_RELEASE)
namespace moodycamel {
inline int ae_tsan_global;
}
extern "C" void AnnotateHappensBefore(const char*, int, void*);
extern "C" void AnnotateHappensAfter(const char*, int, void*);
#define AE_TSAN_ANNOTATE_RELEASE() \
  AnnotateHappensBefore(__FILE__, __LINE__, static_cast<void*>(&::moodycamel::ae_tsan_global))
#define AE_TSAN_ANNOTATE_ACQUIRE() \
  AnnotateHappensAfter(__FILE__, __LINE__, static_cast<void*>(&::moodycamel::ae_tsan_global))
#endif
#include <readerwriterqueue/readerwriterqueue.h>

#include "harness/queues/queue_adapters.h"
#include "harness/queues/ring_record_queue.h"

namespace sg::queues {
namespace {

class ReaderWriterRing {
 public:
  explicit ReaderWriterRing(size_t capacity) : queue_(capacity) {}

  bool try_push(RecordPtr& item) { return queue_.try_enqueue(std::move(item)); }

  // The library has no bulk operations: one enqueue per item.
  size_t try_push_bulk(std::span<RecordPtr> items) {
    size_t n = 0;
    while (n < items.size() && queue_.try_enqueue(std::move(items[n]))) ++n;
    return n;
  }

  size_t try_pop_bulk(Batch& out, size_t max) {
    size_t n = 0;
    RecordPtr item;
    while (n < max && queue_.try_dequeue(item)) {
      out.push_back(std::move(item));
      ++n;
    }
    return n;
  }

 private:
  moodycamel::ReaderWriterQueue<RecordPtr> queue_;
};

}  // namespace

std::unique_ptr<RecordQueue> make_moodycamel_reader_writer(size_t capacity) {
  return std::make_unique<RingRecordQueue<ReaderWriterRing>>(capacity);
}

}  // namespace sg::queues
