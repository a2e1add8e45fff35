// One interface over every queue the adaptive coordinator can use, so that the only thing that
// differs between two runs is the queue (atomic_queue / moodycamel benchmark style: a thin adapter
// per library, and a mutex + condition-variable baseline behind the same interface).
//
// Contract: one producer thread and one consumer thread per queue (the coordinator has one reader
// and one worker per partition), which is what makes the SPSC queues valid choices. Capacity is
// bounded: a full queue blocks the producer (backpressure). Nobody waits in a sleep loop.
//
// A producer blocked on a full queue is woken once the consumer has taken the queue down to half
// its capacity, not as soon as one slot frees up: when the producer is the faster side the queue
// is full almost all the time, and a wake-up per pop (a futex wake, often a preemption of the
// consumer) refilled one batch per batch popped. One wake-up refills half a queue and leaves the
// consumer half a queue to work through meanwhile (docs/design-notes.md#queue-wakeup-at-half).
// The consumer is still woken by every push it waits for: it only waits on an empty queue, where
// an item is wanted at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "engine/record.h"

namespace sg {

enum class QueueKind {
#define SG_QUEUE(kind, name, description, factory) kind,
#include "harness/queues/queue_list.def"
#undef SG_QUEUE
};

struct QueueInfo {
  QueueKind kind;
  const char* name;         // the --queue name, e.g. "moodycamel"
  const char* description;  // one line for `streamgauge list`
};
const std::vector<QueueInfo>& queue_kinds();
std::optional<QueueKind> parse_queue_kind(std::string_view name);
const char* queue_kind_name(QueueKind kind);

struct QueueStats {
  uint64_t items_pushed = 0;
  uint64_t items_popped = 0;
  uint64_t push_calls = 0;      // push() and push_bulk() calls
  uint64_t pop_calls = 0;       // pop_bulk() calls that returned items
  uint64_t producer_waits = 0;  // times the producer found the queue full and blocked
  uint64_t consumer_waits = 0;  // times the consumer found the queue empty and blocked
  // Waits that ended at EventCount's time limit rather than by a wake-up (blocking_waiter.h):
  // each is a wake-up the queue should have sent and did not; 0 in a healthy run.
  uint64_t wait_timeouts = 0;
};

class RecordQueue {
 public:
  virtual ~RecordQueue() = default;
  // Blocks while the queue is full. Returns false (and drops nothing silently: the item stays
  // with the caller) when the queue was aborted.
  virtual bool push(RecordPtr&& item) = 0;
  // Moves all items in, blocking as needed. Returns false when aborted; items not yet moved in
  // are left in the span.
  virtual bool push_bulk(std::span<RecordPtr> items) = 0;
  // Blocks while empty; appends 1..max items to out. Returns 0 only once the queue is closed and
  // drained, or aborted.
  virtual size_t pop_bulk(Batch& out, size_t max) = 0;
  // Producer: no more items will come. The consumer drains the rest, then pop_bulk returns 0.
  virtual void close() = 0;
  // Either side gives up (an error elsewhere): wakes every waiter at once.
  virtual void abort() = 0;
  // Safe to call after both threads have finished (not synchronised with them).
  virtual QueueStats stats() const = 0;
  // Once neither side will touch the queue again: appends every item still inside to `out`,
  // aborted or not, without counting them as popped. For callers whose items hold no reference
  // of their own (records lent by a reader, see strategies/adaptive.cpp), which must take them
  // back instead of letting the queue's destructor drop them.
  virtual void drain(Batch& out) = 0;
};

std::unique_ptr<RecordQueue> make_record_queue(QueueKind kind, size_t capacity);

}  // namespace sg
