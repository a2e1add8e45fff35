// The order of a matrix's passes, for one group of cells (ours, then the peers):
//   1. checked passes: max(warmup, 1) per cell, full digest against the reference, not timed;
//   2. headline rounds: every open cell once per round, in a new shuffled order each round (fixed
//      seeds). A cell whose direct baseline is in the group runs as a pair with it, back to back,
//      order alternating, until its PairedSchedule stops; any other cell runs `repetitions`
//      passes. Timed passes read no phase clock and write to the fingerprint sink;
//   3. instrumented passes: `instrumented_repetitions` shuffled rounds with phase timing on, the
//      clock reads' calibrated cost taken out of each thread's phases.
// Every pass is checked; a failed check fails the cell (a failed baseline ends its pairs).
#pragma once

#include <functional>
#include <vector>

#include "harness/matrix/cell_runner.h"
#include "harness/matrix/paired_schedule.h"

namespace sg {

struct PassScheduleHooks {
  // After every pass: the cell and what kind of pass it was ("checked", "timed", ...).
  std::function<void(const PreparedCell&, const char* what)> after_pass;
  // Around every timed pass (callgrind's collection toggle), or nothing.
  std::function<void()> around_timed;
  // Seconds on a monotonic clock (the budgets); steady_clock when empty. Tests pass a fake.
  std::function<double()> seconds_now;
  // Exactly `repetitions` pairs, whatever the times (instruction counting must repeat exactly).
  bool fixed_repetitions = false;
};

// The pairing options a spec asks for.
PairedScheduleOptions paired_options(const MatrixSpec& spec, bool fixed_repetitions);

void run_group_passes(const std::vector<PreparedCell*>& group, const MatrixSpec& spec,
                      const Calibration& calibration, const PassScheduleHooks& hooks);

}  // namespace sg
