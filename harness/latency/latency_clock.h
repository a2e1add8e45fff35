// The clock a latency run reads ("now") and waits on: the steady clock, unless a test injects
// another (LatencyRunOptions::clock) so that a stall of known length gives exact latencies.
// The default path stays a direct call: readers and writers hold a LatencyClock* that is null
// for the steady clock, and latency_now_ns()/latency_wait_until() test it before dispatching.
#pragma once

#include <cstdint>

#include "harness/job/phase_clock.h"

namespace sg {

class LatencyClock {
 public:
  virtual ~LatencyClock() = default;
  // Nanoseconds, monotonic, never 0 (ReleaseSchedule takes 0 for "not started"). Called from
  // the readers' and writers' threads at once: an implementation must be thread-safe.
  virtual int64_t now_ns() = 0;
  // Returns once now_ns() >= target_ns, with the clock read then.
  virtual int64_t wait_until(int64_t target_ns) = 0;
};

// The steady clock, as PhaseClock reads it.
inline int64_t steady_now_ns() {
  return static_cast<int64_t>(PhaseClock::now_ns());
}
// Sleeps to target_ns on the steady clock (clock_nanosleep), then yields the CPU in a loop
// for the last stretch a timed sleep cannot hit; returns the clock read once it has passed.
int64_t steady_wait_until(int64_t target_ns);

// `injected`, or the steady clock where it is null.
inline int64_t latency_now_ns(LatencyClock* injected) {
  return injected ? injected->now_ns() : steady_now_ns();
}
inline int64_t latency_wait_until(LatencyClock* injected, int64_t target_ns) {
  return injected ? injected->wait_until(target_ns) : steady_wait_until(target_ns);
}

}  // namespace sg
