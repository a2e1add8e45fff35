#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "harness/strategies/producer_pool.h"
#include "strategy_test_support.h"

using namespace sg;
using namespace sg::test;

TEST_CASE("producer pool: a joined lease's thread runs the next task") {
  ProducerPool pool;
  std::set<std::thread::id> ran_on;
  for (int i = 0; i < 10; ++i) {
    std::thread::id id;
    ProducerPool::Lease lease = pool.start([&id] { id = std::this_thread::get_id(); });
    lease.join();  // makes `id` safe to read
    REQUIRE(id != std::this_thread::get_id());
    ran_on.insert(id);
  }
  REQUIRE(ran_on.size() == 1);
  REQUIRE(pool.threads() == 1);
}

TEST_CASE("producer pool: join waits for the task to return") {
  ProducerPool pool;
  std::mutex m;
  std::condition_variable cv;
  bool started = false, release = false;
  std::atomic<bool> returned{false};
  ProducerPool::Lease lease = pool.start([&] {
    std::unique_lock lock(m);
    started = true;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
    returned = true;
  });
  {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return started; });
    release = true;
  }
  cv.notify_all();
  lease.join();
  REQUIRE(returned.load());
  REQUIRE_FALSE(lease.joinable());
}

TEST_CASE("producer pool: leases held at once get threads of their own") {
  const int threads_before = thread_count();
  {
    ProducerPool pool;
    std::mutex m;
    std::condition_variable cv;
    int running = 0;
    auto task = [&] {
      std::unique_lock lock(m);
      ++running;
      cv.notify_all();
      // Each task waits until all three run at once: three leases cannot share a thread.
      cv.wait(lock, [&] { return running == 3; });
    };
    ProducerPool::Lease a = pool.start(task), b = pool.start(task), c = pool.start(task);
    a.join();
    b.join();
    c.join();
    REQUIRE(pool.threads() == 3);
    REQUIRE(threads_back_to(threads_before + 3));  // parked, not ended
    // A moved lease is the one to join; the moved-from one holds nothing.
    ProducerPool::Lease d = pool.start([] {});
    ProducerPool::Lease e = std::move(d);
    REQUIRE_FALSE(d.joinable());
    REQUIRE(e.joinable());
    e.join();
    REQUIRE(pool.threads() == 3);
  }
  REQUIRE(threads_back_to(threads_before));  // the pool joined all three
}
