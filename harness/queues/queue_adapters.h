// One factory per queue library (queue_list.def names them); make_record_queue picks among them.
// Internal to harness/queues: everyone else goes through make_record_queue.
#pragma once

#include <cstddef>
#include <memory>

#include "harness/queues/record_queue.h"

namespace sg::queues {

#define SG_QUEUE(kind, name, description, factory) \
  std::unique_ptr<RecordQueue> factory(size_t capacity);
#include "harness/queues/queue_list.def"
#undef SG_QUEUE

}  // namespace sg::queues
