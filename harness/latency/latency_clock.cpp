#include "harness/latency/latency_clock.h"

#include <sched.h>
#include <time.h>

namespace sg {
namespace {

// Below this, a wait yields the CPU in a loop instead of sleeping: a timed sleep rarely wakes
// sooner than this on a VM.
constexpr int64_t kSleepAboveNs = 20'000;

}  // namespace

int64_t steady_wait_until(int64_t target_ns) {
  int64_t now = steady_now_ns();
  if (target_ns - now > kSleepAboveNs) {
    timespec at{static_cast<time_t>(target_ns / 1'000'000'000),
                static_cast<long>(target_ns % 1'000'000'000)};
    // steady_clock is CLOCK_MONOTONIC in libstdc++; EINTR just ends the sleep early.
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, nullptr);
    now = steady_now_ns();
  }
  while (now < target_ns) {
    sched_yield();
    now = steady_now_ns();
  }
  return now;
}

}  // namespace sg
