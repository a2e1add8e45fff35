// The queue kinds by name, and the one place that turns a kind into a queue.
#include <stdexcept>

#include "engine/schema.h"  // iequals
#include "harness/queues/queue_adapters.h"
#include "harness/queues/record_queue.h"

namespace sg {

namespace {

// The table made from queue_list.def: a kind, its names and its factory.
struct QueueEntry {
  QueueInfo info;
  std::unique_ptr<RecordQueue> (*make)(size_t capacity);
};

const std::vector<QueueEntry>& entries() {
  static const std::vector<QueueEntry> table = {
#define SG_QUEUE(kind, name, description, factory) \
  {{QueueKind::kind, name, description}, queues::factory},
#include "harness/queues/queue_list.def"
#undef SG_QUEUE
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
