// Behaviour of every RecordQueue kind: FIFO hand-off without loss or duplication under
// backpressure, bulk pops, end of stream by close(), abort() waking whichever side is blocked,
// statistics, and the kind names. No timing is asserted; waits that could hang are bounded by a
// watchdog so that a lost wake-up fails the test instead of hanging CI.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "harness/queues/record_queue.h"

using namespace sg;
using namespace std::chrono_literals;

namespace {

// Generous: ThreadSanitizer on two loaded cores is slow. Only a hang comes near it.
constexpr auto kWatchdog = 60s;

RecordPtr numbered(int64_t i) {
  RecordMeta meta;
  meta.offset = i;
  return RecordPtr::make({Value::integer(i)}, meta);
}

QueueKind each_kind() {
  std::vector<QueueKind> kinds;
  for (const QueueInfo& info : queue_kinds()) kinds.push_back(info.kind);
  return GENERATE_COPY(from_range(kinds));
}

// Catch2's assertions are not thread-safe: threads check with this, and the failure reaches
// the test through Watched::finish(), which rethrows on the test's thread.
void check(bool ok, const char* what) {
  if (!ok) throw std::logic_error(what);
}

// Runs `body` on its own thread; finish() waits for it at most kWatchdog. A thread still blocked
// after that is a lost wake-up: the process aborts with a message (CTest reports the test as
// failed) rather than hanging, since the thread cannot be joined or safely abandoned.
class Watched {
 public:
  template <class Body>
  explicit Watched(Body body)
      : task_(std::move(body)), future_(task_.get_future()), thread_([this] { task_(); }) {}
  Watched(const Watched&) = delete;
  Watched& operator=(const Watched&) = delete;
  ~Watched() {
    if (thread_.joinable()) join();  // the test failed elsewhere: just don't leave it running
  }

  // Waits for the body, then rethrows what it threw.
  void finish() {
    join();
    future_.get();
  }

 private:
  void join() {
    if (future_.wait_for(kWatchdog) != std::future_status::ready) {
      std::fputs("test_queues: watchdog: a queue thread is still blocked (lost wake-up?)\n",
                 stderr);
      std::abort();
    }
    thread_.join();
  }

  std::packaged_task<void()> task_;
  std::future<void> future_;
  std::thread thread_;
};

}  // namespace

TEST_CASE("queue kinds are listed, parsed by name in any case, and named back") {
  REQUIRE(queue_kinds().size() == 5);
  for (const QueueInfo& info : queue_kinds()) {
    INFO(info.name);
    REQUIRE(std::string(info.description).size() > 0);
    REQUIRE(parse_queue_kind(info.name) == info.kind);
    std::string upper = info.name;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    REQUIRE(parse_queue_kind(upper) == info.kind);
    REQUIRE(std::string(queue_kind_name(info.kind)) == info.name);
  }
  REQUIRE(parse_queue_kind("moodycamel") == QueueKind::MoodycamelConcurrent);
  REQUIRE(parse_queue_kind("mutex") == QueueKind::MutexCondvar);
  REQUIRE_FALSE(parse_queue_kind("crossbeam").has_value());
  REQUIRE_FALSE(parse_queue_kind("").has_value());
  REQUIRE_THROWS_AS(make_record_queue(QueueKind::BoostSpsc, 0), std::invalid_argument);
}

TEST_CASE("every queue hands 100k records across threads in order, without loss or duplicates") {
  const QueueKind kind = each_kind();
  INFO(queue_kind_name(kind));
  constexpr int64_t kItems = 100'000;
  // Tiny, so both sides keep finding it full or empty and have to block.
  std::unique_ptr<RecordQueue> queue = make_record_queue(kind, 4);

  std::vector<int64_t> received;
  received.reserve(kItems);
  bool refcounts_ok = true;
  // A failing side aborts the queue, so that the other side is not left blocked forever.
  Watched consumer([&] {
    Batch batch;
    size_t max = 1;
    struct AbortOnFailure {
      RecordQueue& q;
      ~AbortOnFailure() {
        if (std::uncaught_exceptions()) q.abort();
      }
    } guard{*queue};
    while (size_t n = queue->pop_bulk(batch, max)) {
      check(n <= max, "pop_bulk returned more than max");
      check(batch.size() == n, "pop_bulk's count differs from what it appended");
      for (const RecordPtr& r : batch) {
        refcounts_ok = refcounts_ok && r->use_count() == 1;
        received.push_back(r->offset());
      }
      batch.clear();
      max = max % 7 + 1;  // 1..7: single pops and bulk pops larger than the capacity
    }
  });
  Watched producer([&] {
    struct AbortOnFailure {
      RecordQueue& q;
      ~AbortOnFailure() {
        if (std::uncaught_exceptions()) q.abort();
      }
    } guard{*queue};
    int64_t next = 0;
    while (next < kItems) {
      if (next % 3 == 0) {  // mix single pushes with bulk pushes larger than the capacity
        check(queue->push(numbered(next++)), "push failed");
      } else {
        Batch chunk;
        for (int i = 0; i < 9 && next < kItems; ++i) chunk.push_back(numbered(next++));
        check(queue->push_bulk(chunk), "push_bulk failed");
        for (const RecordPtr& r : chunk) check(!r, "push_bulk left an item behind");
      }
    }
    queue->close();
  });
  producer.finish();
  consumer.finish();

  REQUIRE(received.size() == static_cast<size_t>(kItems));
  bool in_order = true;
  for (int64_t i = 0; i < kItems; ++i) in_order = in_order && received[i] == i;
  REQUIRE(in_order);
  REQUIRE(refcounts_ok);
  QueueStats stats = queue->stats();
  REQUIRE(stats.items_pushed == static_cast<uint64_t>(kItems));
  REQUIRE(stats.items_popped == static_cast<uint64_t>(kItems));
  REQUIRE(stats.pop_calls >= static_cast<uint64_t>(kItems) / 7);
}

TEST_CASE("bulk pops append at most max items, in order, after what the batch held") {
  const QueueKind kind = each_kind();
  INFO(queue_kind_name(kind));
  auto queue = make_record_queue(kind, 64);
  Batch items;
  for (int64_t i = 0; i < 10; ++i) items.push_back(numbered(i));
  REQUIRE(queue->push_bulk(items));

  Batch out;
  out.push_back(numbered(-1));  // pop_bulk appends: this one stays first
  REQUIRE(queue->pop_bulk(out, 1) == 1);
  REQUIRE(out.size() == 2);
  size_t n = queue->pop_bulk(out, 3);
  REQUIRE(n >= 1);
  REQUIRE(n <= 3);
  queue->close();
  while (queue->pop_bulk(out, 256) > 0) {
  }
  REQUIRE(out.size() == 11);
  for (int64_t i = -1; i < 10; ++i) REQUIRE(out[i + 1]->offset() == i);

  QueueStats stats = queue->stats();
  REQUIRE(stats.push_calls == 1);
  REQUIRE(stats.items_pushed == 10);
  REQUIRE(stats.items_popped == 10);
}

TEST_CASE("close() lets the consumer drain, then pop_bulk returns 0 every time") {
  const QueueKind kind = each_kind();
  INFO(queue_kind_name(kind));
  auto queue = make_record_queue(kind, 8);
  for (int64_t i = 0; i < 5; ++i) REQUIRE(queue->push(numbered(i)));
  queue->close();
  Batch out;
  while (queue->pop_bulk(out, 2) > 0) {
  }
  REQUIRE(out.size() == 5);
  REQUIRE(queue->pop_bulk(out, 2) == 0);
  REQUIRE(queue->pop_bulk(out, 2) == 0);
  QueueStats stats = queue->stats();
  REQUIRE(stats.push_calls == 5);
  REQUIRE(stats.items_popped == 5);
}

TEST_CASE("close() wakes a consumer blocked on an empty queue") {
  const QueueKind kind = each_kind();
  INFO(queue_kind_name(kind));
  std::unique_ptr<RecordQueue> queue = make_record_queue(kind, 8);
  size_t popped = 99;
  Watched consumer([&] {
    Batch out;
    popped = queue->pop_bulk(out, 4);
  });
  std::this_thread::sleep_for(20ms);  // let it block (the result is the same if it has not yet)
  queue->close();
  consumer.finish();
  REQUIRE(popped == 0);
}

TEST_CASE("abort() wakes a producer blocked on a full queue and leaves it its item") {
  const QueueKind kind = each_kind();
  INFO(queue_kind_name(kind));
  std::unique_ptr<RecordQueue> queue = make_record_queue(kind, 2);
  // Fill it up without blocking: push until a watched push does not come back.
  RecordPtr pending;
  bool pushed = true;
  Watched producer([&] {
    for (int64_t i = 0; pushed; ++i) {
      pending = numbered(i);
      pushed = queue->push(std::move(pending));
    }
  });
  std::this_thread::sleep_for(20ms);
  queue->abort();
  producer.finish();
  REQUIRE_FALSE(pushed);
  REQUIRE(pending);  // the refused item is still the caller's
  REQUIRE(pending->use_count() == 1);

  // Once aborted, both sides give up at once, even with items inside.
  RecordPtr another = numbered(7);
  REQUIRE_FALSE(queue->push(std::move(another)));
  REQUIRE(another);
  Batch out;
  REQUIRE(queue->pop_bulk(out, 8) == 0);
}

TEST_CASE("abort() wakes a consumer blocked on an empty queue") {
  const QueueKind kind = each_kind();
  INFO(queue_kind_name(kind));
  std::unique_ptr<RecordQueue> queue = make_record_queue(kind, 8);
  size_t popped = 99;
  Watched consumer([&] {
    Batch out;
    popped = queue->pop_bulk(out, 4);
  });
  std::this_thread::sleep_for(20ms);
  queue->abort();
  consumer.finish();
  REQUIRE(popped == 0);
}

TEST_CASE("a failed bulk push leaves the items not moved in with the caller") {
  const QueueKind kind = each_kind();
  INFO(queue_kind_name(kind));
  std::unique_ptr<RecordQueue> queue = make_record_queue(kind, 2);
  Batch items;
  for (int64_t i = 0; i < 100; ++i) items.push_back(numbered(i));
  bool pushed = true;
  Watched producer([&] { pushed = queue->push_bulk(items); });
  std::this_thread::sleep_for(20ms);
  queue->abort();
  producer.finish();
  REQUIRE_FALSE(pushed);
  // A prefix went in (none if the abort came first), the rest is untouched and in order.
  size_t first_left = 0;
  while (first_left < items.size() && !items[first_left]) ++first_left;
  REQUIRE(first_left < items.size());
  for (size_t i = first_left; i < items.size(); ++i) {
    REQUIRE(items[i]);
    REQUIRE(items[i]->offset() == static_cast<int64_t>(i));
  }
}

TEST_CASE("destroying a queue releases the records still inside") {
  const QueueKind kind = each_kind();
  INFO(queue_kind_name(kind));
  RecordPtr kept = numbered(1);
  {
    auto queue = make_record_queue(kind, 8);
    RecordPtr copy = kept;
    REQUIRE(kept->use_count() == 2);
    REQUIRE(queue->push(std::move(copy)));
    Batch two = {kept, kept};
    REQUIRE(queue->push_bulk(two));
    REQUIRE(kept->use_count() == 4);
  }
  REQUIRE(kept->use_count() == 1);
}

TEST_CASE("drain() hands back, in order, what an aborted queue still holds") {
  const QueueKind kind = each_kind();
  INFO(queue_kind_name(kind));
  auto queue = make_record_queue(kind, 8);
  Batch items;
  for (int64_t i = 0; i < 5; ++i) items.push_back(numbered(i));
  REQUIRE(queue->push_bulk(items));
  queue->abort();
  Batch out;
  REQUIRE(queue->pop_bulk(out, 8) == 0);  // aborted: the consumer gets nothing
  queue->drain(out);
  REQUIRE(out.size() == 5);
  for (int64_t i = 0; i < 5; ++i) {
    REQUIRE(out[i]->offset() == i);
    REQUIRE(out[i]->use_count() == 1);  // moved out, not copied
  }
  Batch again;
  queue->drain(again);
  REQUIRE(again.empty());
  REQUIRE(queue->stats().items_popped == 0);  // drained items are not counted as popped
}

TEST_CASE("a producer blocked on a full queue is woken as the consumer drains it, pop by pop") {
  // A blocked producer waits for the queue to drain to half before it is woken: with single pops
  // and a capacity of 2, 3 or 5 (odd halves included), no wake-up may be lost on the way there.
  const QueueKind kind = each_kind();
  INFO(queue_kind_name(kind));
  for (size_t capacity : {size_t{1}, size_t{2}, size_t{3}, size_t{5}}) {
    INFO("capacity " << capacity);
    std::unique_ptr<RecordQueue> queue = make_record_queue(kind, capacity);
    constexpr int64_t kItems = 2'000;
    std::vector<int64_t> received;
    Watched consumer([&] {
      Batch out;
      while (queue->pop_bulk(out, 1) > 0) {
        received.push_back(out.back()->offset());
        out.clear();
      }
    });
    Watched producer([&] {
      Batch chunk;
      for (int64_t i = 0; i < kItems; ++i) chunk.push_back(numbered(i));
      check(queue->push_bulk(chunk), "push_bulk failed");
      queue->close();
    });
    producer.finish();
    consumer.finish();
    REQUIRE(received.size() == static_cast<size_t>(kItems));
    for (int64_t i = 0; i < kItems; ++i) REQUIRE(received[i] == i);
    REQUIRE(queue->stats().items_popped == static_cast<uint64_t>(kItems));
  }
}
