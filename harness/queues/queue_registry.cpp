// The queue kinds by name, and the one place that turns a kind into a queue.
#include <stdexcept>

#include "engine/schema.h"  // iequals
#include "harness/queues/queue_adapters.h"
#include "harness/queues/record_queue.h"

namespace sg {

namespace {

// One line per queue: adding a queue is its own file, its factory in queue_adapters.h, its kind
// in record_queue.h and a line here.
struct QueueEntry {
  QueueInfo info;
  std::unique_ptr<RecordQueue> (*make)(size_t capacity);
};

const std::vector<QueueEntry>& entries() {
  static const std::vector<QueueEntry> table = {
      {{QueueKind::MoodycamelConcurrent, "moodycamel",
        "moodycamel::ConcurrentQueue (lock-free MPMC, bulk + tokens; bounded by the adapter)"},
       queues::make_moodycamel_concurrent},
      {{QueueKind::MoodycamelReaderWriter, "moodycamel-rw",
        "moodycamel::ReaderWriterQueue (lock-free SPSC; capacity rounded up to a power of two)"},
       queues::make_moodycamel_reader_writer},
      {{QueueKind::BoostSpsc, "boost-spsc",
        "boost::lockfree::spsc_queue (wait-free SPSC ring, run-time capacity)"},
       queues::make_boost_spsc},
      {{QueueKind::BoostMpmc, "boost-mpmc",
        "boost::lockfree::queue (lock-free MPMC linked queue over a fixed node pool)"},
       queues::make_boost_mpmc},
      {{QueueKind::MutexCondvar, "mutex",
        "std::mutex + std::condition_variable ring buffer (the baseline)"},
       queues::make_mutex_condvar},
  };
  return table;
}

}  // namespace

const std::vector<QueueInfo>& queue_kinds() {
  static const std::vector<QueueInfo> kinds = [] {
    std::vector<QueueInfo> out;
    for (const QueueEntry& e : entries()) out.push_back(e.info);
    return out;
  }();
  return kinds;
}

std::optional<QueueKind> parse_queue_kind(std::string_view name) {
  for (const QueueInfo& info : queue_kinds()) {
    if (iequals(name, info.name)) return info.kind;
  }
  return std::nullopt;
}

const char* queue_kind_name(QueueKind kind) {
  for (const QueueInfo& info : queue_kinds()) {
    if (info.kind == kind) return info.name;
  }
  return "?";
}

std::unique_ptr<RecordQueue> make_record_queue(QueueKind kind, size_t capacity) {
  if (capacity == 0) throw std::invalid_argument("queue capacity must be at least 1");
  for (const QueueEntry& e : entries())
    if (e.info.kind == kind) return e.make(capacity);
  throw std::invalid_argument("unknown queue kind");
}

}  // namespace sg
