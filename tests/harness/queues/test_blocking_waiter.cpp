// EventCount (harness/queues/blocking_waiter.h): a notify wakes a waiter, and a waiter that no
// notify reaches comes back at the safety limit, saying so, instead of sleeping forever.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "harness/queues/blocking_waiter.h"

TEST_CASE("event count: a wait nobody notifies ends at the limit, reporting no wake-up") {
  sg::EventCount e;
  const sg::EventCount::Key key = e.prepare_wait();
  CHECK_FALSE(e.wait(key));
  // The waiter is gone: a notify now finds nobody to wake, and a new wait starts afresh.
  e.notify();
  const sg::EventCount::Key again = e.prepare_wait();
  e.cancel_wait();
  CHECK(again == key);  // no epoch bump: the notify saw no waiter
}

TEST_CASE("event count: a notify after prepare_wait wakes the waiter") {
  sg::EventCount e;
  const sg::EventCount::Key key = e.prepare_wait();
  e.notify();  // before wait(): the epoch moved, so wait returns at once, woken
  CHECK(e.wait(key));
  // From another thread, used as the queues use it: publish, then notify; the waiter
  // re-checks after every return, whether woken or at the limit.
  std::atomic<bool> ready{false};
  std::thread notifier([&] {
    ready.store(true, std::memory_order_release);
    e.notify();
  });
  for (;;) {
    if (ready.load(std::memory_order_acquire)) break;
    const sg::EventCount::Key k = e.prepare_wait();
    if (ready.load(std::memory_order_acquire)) {
      e.cancel_wait();
      break;
    }
    e.wait(k);
  }
  notifier.join();
  CHECK(ready.load());
}
