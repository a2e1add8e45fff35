// One factory per queue library; make_record_queue (queue_registry.cpp) picks among them.
// Internal to harness/queues: everyone else goes through make_record_queue.
#pragma once

#include <cstddef>
#include <memory>

#include "harness/queues/record_queue.h"

namespace sg::queues {

std::unique_ptr<RecordQueue> make_moodycamel_concurrent(size_t capacity);
std::unique_ptr<RecordQueue> make_moodycamel_reader_writer(size_t capacity);
std::unique_ptr<RecordQueue> make_boost_spsc(size_t capacity);
std::unique_ptr<RecordQueue> make_boost_mpmc(size_t capacity);
std::unique_ptr<RecordQueue> make_mutex_condvar(size_t capacity);

}  // namespace sg::queues
