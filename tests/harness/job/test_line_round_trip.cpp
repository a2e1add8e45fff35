#include <catch2/catch.hpp>

#include <sched.h>

#include <thread>

#include "harness/job/line_round_trip.h"

using namespace sg;

// Counts only: what a round trip takes is the probe's figure, not something a test can know.
TEST_CASE(
    "the line probe runs its blocks where there are two CPUs and gives the caller's CPUs "
    "back") {
  cpu_set_t before, after;
  REQUIRE(sched_getaffinity(0, sizeof(before), &before) == 0);
  const LineRoundTrip probe = probe_line_round_trip(3, 50);
  REQUIRE(sched_getaffinity(0, sizeof(after), &after) == 0);
  CHECK(CPU_EQUAL(&before, &after));
  if (std::thread::hardware_concurrency() < 2) {
    CHECK(probe.ns == 0);
    CHECK(probe.blocks == 0);
  } else {
    CHECK(probe.blocks >= 1);  // fewer than 3 only when the 20 ms budget ran out
    CHECK(probe.blocks <= 3);
    CHECK(probe.round_trips_per_block == 50);
  }
  // Nothing to run: no blocks and no figure.
  for (const LineRoundTrip none : {probe_line_round_trip(0, 50), probe_line_round_trip(3, 0)}) {
    CHECK(none.blocks == 0);
    CHECK(none.ns == 0);
  }
}

// Counts only, as above. A kept partner serves probe after probe (each resets the line it shares,
// so a partner still serving the last would hang the next one), and its prober's end joins it.
TEST_CASE("the kept-partner line probe serves repeated probes and gives the caller's CPUs back") {
  cpu_set_t before, after;
  REQUIRE(sched_getaffinity(0, sizeof(before), &before) == 0);
  {
    LineProber prober;
    for (int i = 0; i < 20; ++i) {
      const LineRoundTrip probe = prober.probe(2, 20);
      if (std::thread::hardware_concurrency() < 2) {
        CHECK(probe.blocks == 0);
        CHECK(probe.ns == 0);
      } else {
        CHECK(probe.blocks >= 1);
        CHECK(probe.blocks <= 2);
        CHECK(probe.round_trips_per_block == 20);
      }
    }
    CHECK(prober.probe(0, 20).blocks == 0);
    REQUIRE(sched_getaffinity(0, sizeof(after), &after) == 0);
    CHECK(CPU_EQUAL(&before, &after));
  }
}
