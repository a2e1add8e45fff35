// The cross-core regime a repetition ran in: a cache line's round trip between slots 0 and 1
// (harness/job/line_round_trip.h), probed before the timed loop and reported as the counter
// "line_rt_ns". On a VM whose host moves the vCPUs, a benchmark with two threads measures
// whichever regime it happened to run in; `streamgauge explain` prices a matrix's pairs with the
// repetitions that ran in the same regime as they did.
#pragma once

#include <benchmark/benchmark.h>

#include "harness/job/line_round_trip.h"

namespace sg::bench {

inline void note_line_round_trip(benchmark::State& state) {
  state.counters["line_rt_ns"] = probe_line_round_trip().ns;
}

}  // namespace sg::bench
