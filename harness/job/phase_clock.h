// The clock the harness reads around every phase of every batch.
//
// steady_clock, not rdtsc: it needs no calibration, gives nanoseconds directly (so phase sums stay
// exact integers) and cannot drift on machines whose TSC is not invariant; the reads it costs are
// noise at usual batch sizes (docs/design-notes.md#phase-clock). per_record_lock reads it twice
// per record, which is why JobConfig::phase_timing can switch phase timing off to measure what
// the timing itself costs.
#pragma once

#include <time.h>

#include <chrono>
#include <cstdint>

namespace sg {

struct PhaseClock {
  // Nanoseconds since an arbitrary, fixed origin; monotonic.
  static uint64_t now_ns() {
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::steady_clock::now().time_since_epoch())
                                     .count());
  }
  // CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID), in nanoseconds. A system call,
  // not a vDSO read: read only in instrumented passes, and calibrated with the wall clock's read.
  static uint64_t thread_cpu_ns() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ULL + static_cast<uint64_t>(ts.tv_nsec);
  }
};

}  // namespace sg
