// How far apart the two CPUs of placement slots 0 and 1 are right now: the round trip of one
// cache line between them, a thread spinning on each.
//
// On a shared VM the host moves vCPUs: the same two vCPUs can share a core's caches, sit in one
// L3 or on two dies, and move between these within seconds (what that looked like here:
// docs/design-notes.md#cross-core-regimes). Every cost of a record or batch crossing cores
// moves with it, so the matrix probes before each pair and the cross-core microbenches before
// each repetition, and `streamgauge explain` sets like beside like.
#pragma once

#include <memory>

namespace sg {

// Two probes belong to one regime when within this factor of each other. It must sit between a
// regime's own spread and the gap to the next regime (both measured in
// docs/design-notes.md#cross-core-regimes).
inline constexpr double kLineRegimeBand = 1.5;

// One probe's figure. `ns` is the median over the blocks of the mean round trip within a block, so
// a block in which the host took a vCPU away does not set it; 0 where there is no second CPU.
// `blocks` can fall short of the asked number: a probe stops starting blocks after 20 ms.
struct LineRoundTrip {
  double ns = 0;
  int blocks = 0;
  int round_trips_per_block = 0;
};

// Pins the caller to slot 0 for the probe (its CPUs are given back after) and a short-lived
// partner thread to slot 1. Takes a thread start and blocks x round_trips_per_block round trips,
// and never starts a block after 20 ms.
LineRoundTrip probe_line_round_trip(int blocks = 9, int round_trips_per_block = 100);

// The same probe with its partner kept between probes, asleep on slot 1's CPU: a partner started
// and joined for every probe moved the calling thread between the CPUs twice a probe, and the
// passes timed next ran on a CPU whose caches held none of their work, the cell's more than
// direct's (docs/design-notes.md#model-shortfalls). For the matrix, which probes before each
// pair. One caller at a time.
class LineProber {
 public:
  LineProber();
  ~LineProber();  // wakes the partner and joins it
  LineProber(const LineProber&) = delete;
  LineProber& operator=(const LineProber&) = delete;

  LineRoundTrip probe(int blocks = 9, int round_trips_per_block = 100);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace sg
