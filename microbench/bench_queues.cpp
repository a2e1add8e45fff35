// What a queue hand-off costs, per record, for every RecordQueue kind, and what our adapter adds
// on top of the raw library.
//
//   queue/<kind>/push_pop           push one record and pop it again, one thread (no contention:
//                                   the adapter's and the library's own work)
//   queue/<kind>/bulk/<B>           push_bulk B records and pop them, one thread
//   queue/<kind>/handoff/<B>        a producer thread pushes, a consumer thread pops: B = 1 uses
//                                   push()/pop_bulk(max 1), B > 1 bulk calls of B; time per record.
//                                   producer_waits_per_iter counts the producer's sleeps on a full
//                                   queue; each ends once the consumer has drained half of it.
//   raw/<library>/push_pop          the library itself, a pointer in and out, one thread
//
// Records are built once, outside the timed loops, and cycle through the queue: what is timed is
// the queue, never malloc.
#include <atomic>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include <concurrentqueue/concurrentqueue.h>
#include <readerwriterqueue/readerwriterqueue.h>
#include <boost/lockfree/queue.hpp>
#include <boost/lockfree/spsc_queue.hpp>

#include "harness/queues/record_queue.h"
#include "microbench/quick_main.h"

namespace sg {
namespace {

constexpr size_t kCapacity = 1024;        // a quarter of the coordinator's default (4096)
constexpr size_t kHandoffRecords = 8192;  // records per timed hand-off iteration

Batch make_records(size_t n) {
  Batch records;
  records.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    RecordMeta meta;
    meta.offset = static_cast<int64_t>(i);
    records.push_back(RecordPtr::make(
        {Value::integer(static_cast<int64_t>(i)), Value::string("AAPL"), Value::floating(1.5)},
        meta));
  }
  return records;
}

void push_pop(benchmark::State& state, QueueKind kind) {
  auto queue = make_record_queue(kind, kCapacity);
  RecordPtr record = make_records(1).front();
  Batch out;
  out.reserve(1);
  for (auto _ : state) {
    queue->push(std::move(record));
    queue->pop_bulk(out, 1);
    record = std::move(out.back());
    out.clear();
  }
  state.SetItemsProcessed(state.iterations());
}

void bulk(benchmark::State& state, QueueKind kind) {
  const size_t batch_size = static_cast<size_t>(state.range(0));
  auto queue = make_record_queue(kind, kCapacity);
  Batch batch = make_records(batch_size);
  Batch out;
  out.reserve(batch_size);
  for (auto _ : state) {
    queue->push_bulk(batch);
    while (out.size() < batch_size) queue->pop_bulk(out, batch_size - out.size());
    std::swap(batch, out);
    out.clear();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch_size));
}

// The benchmark's thread produces; a consumer thread, started before the timed loop, pops and
// keeps the records. Each iteration moves kHandoffRecords across and ends when the consumer has
// them all, so the time is the end-to-end hand-off, including any waiting. The records then go
// back to the producer for the next iteration (the consumer's next pop happens after the
// producer's next push, which orders the swap).
void handoff(benchmark::State& state, QueueKind kind) {
  const size_t batch_size = static_cast<size_t>(state.range(0));
  auto queue = make_record_queue(kind, kCapacity);
  Batch to_send = make_records(kHandoffRecords);
  Batch received;
  received.reserve(kHandoffRecords);
  std::atomic<uint64_t> iterations_received{0};

  std::thread consumer([&] {
    Batch out;
    out.reserve(batch_size);
    uint64_t done = 0;
    while (queue->pop_bulk(out, batch_size) > 0) {
      for (RecordPtr& r : out) received.push_back(std::move(r));
      out.clear();
      if (received.size() == kHandoffRecords) {
        iterations_received.store(++done, std::memory_order_release);
        iterations_received.notify_one();
      }
    }
  });

  uint64_t sent = 0;
  for (auto _ : state) {
    if (batch_size == 1) {
      for (RecordPtr& r : to_send) queue->push(std::move(r));
    } else {
      for (size_t i = 0; i < kHandoffRecords; i += batch_size) {
        queue->push_bulk(
            std::span<RecordPtr>(to_send).subspan(i, std::min(batch_size, kHandoffRecords - i)));
      }
    }
    ++sent;
    for (uint64_t got = iterations_received.load(std::memory_order_acquire); got != sent;
         got = iterations_received.load(std::memory_order_acquire)) {
      iterations_received.wait(got, std::memory_order_acquire);
    }
    std::swap(to_send, received);
    received.clear();
  }
  queue->close();
  consumer.join();
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kHandoffRecords));
  const QueueStats stats = queue->stats();
  state.counters["producer_waits_per_iter"] = benchmark::Counter(
      static_cast<double>(stats.producer_waits), benchmark::Counter::kAvgIterations);
  state.counters["consumer_waits_per_iter"] = benchmark::Counter(
      static_cast<double>(stats.consumer_waits), benchmark::Counter::kAvgIterations);
}

// The raw libraries: one pointer in and out, one thread, no blocking logic, no ownership.
void raw_moodycamel(benchmark::State& state) {
  moodycamel::ConcurrentQueue<void*> queue(kCapacity, 1, 0);
  moodycamel::ProducerToken producer(queue);
  moodycamel::ConsumerToken consumer(queue);
  void* item = &queue;
  for (auto _ : state) {
    queue.enqueue(producer, item);
    queue.try_dequeue(consumer, item);
    benchmark::DoNotOptimize(item);
  }
  state.SetItemsProcessed(state.iterations());
}

void raw_moodycamel_rw(benchmark::State& state) {
  moodycamel::ReaderWriterQueue<void*> queue(kCapacity);
  void* item = &queue;
  for (auto _ : state) {
    queue.try_enqueue(item);
    queue.try_dequeue(item);
    benchmark::DoNotOptimize(item);
  }
  state.SetItemsProcessed(state.iterations());
}

void raw_boost_spsc(benchmark::State& state) {
  boost::lockfree::spsc_queue<void*> queue(kCapacity);
  void* item = &queue;
  for (auto _ : state) {
    queue.push(item);
    queue.pop(item);
    benchmark::DoNotOptimize(item);
  }
  state.SetItemsProcessed(state.iterations());
}

void raw_boost_mpmc(benchmark::State& state) {
  boost::lockfree::queue<void*> queue(kCapacity);
  void* item = &queue;
  for (auto _ : state) {
    queue.bounded_push(item);
    queue.pop(item);
    benchmark::DoNotOptimize(item);
  }
  state.SetItemsProcessed(state.iterations());
}

void raw_mutex_deque(benchmark::State& state) {
  std::mutex mutex;
  std::deque<void*> queue;
  void* item = &queue;
  for (auto _ : state) {
    {
      std::lock_guard lock(mutex);
      queue.push_back(item);
    }
    {
      std::lock_guard lock(mutex);
      item = queue.front();
      queue.pop_front();
    }
    benchmark::DoNotOptimize(item);
  }
  state.SetItemsProcessed(state.iterations());
}

const bool registered = [] {
  for (const QueueInfo& info : queue_kinds()) {
    const std::string prefix = std::string("queue/") + info.name;
    const QueueKind kind = info.kind;
    benchmark::RegisterBenchmark((prefix + "/push_pop").c_str(), push_pop, kind);
    benchmark::RegisterBenchmark((prefix + "/bulk").c_str(), bulk, kind)
        ->ArgName("batch")
        ->Arg(1)
        ->Arg(16)
        ->Arg(256);
    benchmark::RegisterBenchmark((prefix + "/handoff").c_str(), handoff, kind)
        ->ArgName("batch")
        ->Arg(1)
        ->Arg(256)
        ->UseRealTime()  // the producer also waits for the consumer: wall time is the cost
        ->Unit(benchmark::kMicrosecond);
  }
  benchmark::RegisterBenchmark("raw/moodycamel/push_pop", raw_moodycamel);
  benchmark::RegisterBenchmark("raw/moodycamel-rw/push_pop", raw_moodycamel_rw);
  benchmark::RegisterBenchmark("raw/boost-spsc/push_pop", raw_boost_spsc);
  benchmark::RegisterBenchmark("raw/boost-mpmc/push_pop", raw_boost_mpmc);
  benchmark::RegisterBenchmark("raw/mutex-deque/push_pop", raw_mutex_deque);
  return true;
}();

}  // namespace
}  // namespace sg

SG_BENCHMARK_MAIN()
