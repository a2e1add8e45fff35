// The cross-core regime a repetition ran in: a cache line's round trip between slots 0 and 1
// (harness/job/line_round_trip.h), probed before the timed loop (counter "line_rt_ns") and again
// after it ("line_rt_after_ns"). On a VM whose host moves the vCPUs, a benchmark with two threads
// measures whichever regime it happened to run in; `streamgauge explain` prices a matrix's pairs
// with the repetitions that ran in the same regime as they did, by both probes: the host can move
// the vCPUs in the middle of a repetition, which the probe before cannot see.
#pragma once

#include <benchmark/benchmark.h>

#include "harness/job/line_round_trip.h"

namespace sg::bench {

// Declare one at the top of a benchmark function; it probes again as the function returns.
class LineProbe {
 public:
  explicit LineProbe(benchmark::State& state) : state_(state) {
    state_.counters["line_rt_ns"] = probe_line_round_trip().ns;
  }
  ~LineProbe() { state_.counters["line_rt_after_ns"] = probe_line_round_trip().ns; }
  LineProbe(const LineProbe&) = delete;
  LineProbe& operator=(const LineProbe&) = delete;

 private:
  benchmark::State& state_;
};

}  // namespace sg::bench
