// The queue kinds by name, and the one place that turns a kind into a queue.
#include <stdexcept>

#include "engine/schema.h"  // iequals
#include "harness/queues/queue_adapters.h"
#include "harness/queues/record_queue.h"

namespace sg {

const std::vector<QueueInfo>& queue_kinds() {
  static const std::vector<QueueInfo> kinds = {
      {QueueKind::MoodycamelConcurrent, "moodycamel",
       "moodycamel::ConcurrentQueue (lock-free MPMC, bulk + tokens; bounded by the adapter)"},
      {QueueKind::MoodycamelReaderWriter, "moodycamel-rw",
       "moodycamel::ReaderWriterQueue (lock-free SPSC; capacity rounded up to a power of two)"},
      {QueueKind::BoostSpsc, "boost-spsc",
       "boost::lockfree::spsc_queue (wait-free SPSC ring, run-time capacity)"},
      {QueueKind::BoostMpmc, "boost-mpmc",
       "boost::lockfree::queue (lock-free MPMC linked queue over a fixed node pool)"},
      {QueueKind::MutexCondvar, "mutex",
       "std::mutex + std::condition_variable ring buffer (the baseline)"},
  };
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
  switch (kind) {
    case QueueKind::MoodycamelConcurrent:
      return queues::make_moodycamel_concurrent(capacity);
    case QueueKind::MoodycamelReaderWriter:
      return queues::make_moodycamel_reader_writer(capacity);
    case QueueKind::BoostSpsc:
      return queues::make_boost_spsc(capacity);
    case QueueKind::BoostMpmc:
      return queues::make_boost_mpmc(capacity);
    case QueueKind::MutexCondvar:
      return queues::make_mutex_condvar(capacity);
  }
  throw std::invalid_argument("unknown queue kind");
}

}  // namespace sg
