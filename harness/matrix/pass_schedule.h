// The order of a matrix's passes, for one group of cells (ours, then the peers):
//   1. checked passes: max(warmup, 1) per cell, full digest against the reference, not timed;
//   2. headline rounds: every open cell once per round, in a new shuffled order each round (fixed
//      seeds). A cell whose direct baseline is in the group runs as a pair with it, back to back,
//      order alternating, until its PairedSchedule stops; any other cell runs `repetitions`
//      passes. Timed passes read no phase clock and write to the fingerprint sink;
//   3. instrumented passes: `instrumented_repetitions` shuffled rounds with phase timing on, the
//      clock reads' calibrated cost taken out of each thread's phases.
// Every pass is checked; a failed check fails the cell (a failed baseline ends its pairs).
// A resumed run (matrix_journal.h) starts from each cell's restored passes and pairs, and a stop
// request ends the schedule before the next pass.
#pragma once

#include <functional>
#include <vector>

#include "harness/matrix/cell_runner.h"
#include "harness/matrix/paired_schedule.h"

namespace sg {

const char* pass_kind_name(PassKind k);  // "checked", "timed", "instrumented"

// One finished pass, as the journal and the progress line see it.
struct PassDone {
  const PreparedCell* cell = nullptr;
  PassKind kind = PassKind::Timed;
  int repetition = 0;                    // from 0, within its kind (and, for pairs, the pair)
  bool in_pair = false;                  // one half of a pair (after_pair reports the pair)
  const PassVerdict* verdict = nullptr;  // Ok, or why the cell failed
  const RunResult* sample = nullptr;     // what the pass measured when it counts
  double seconds = 0;                    // the pass's own duration
};

// The passes an earlier, interrupted run did for one cell (restored into its CellResult).
struct RestoredPasses {
  struct Pair {
    double cell_ns, baseline_ns, spent_s;
    double line_rt_ns = 0;  // the probe before the pair; 0: none
  };
  size_t timed = 0;  // passes timed alone
  std::vector<Pair> pairs;
  size_t instrumented = 0;
};

struct PassScheduleHooks {
  std::function<void(const PassDone&)> after_pass;
  // Before each pair, outside its passes and its seconds: the cross-core probe's ns (0: none).
  std::function<double()> before_pair;
  // After a pair counted: the cell's timed pass, the baseline's wall time, the pair's seconds and
  // what before_pair returned.
  std::function<void(const PreparedCell&, int pair, const RunResult& cell_run, double baseline_ns,
                     double spent_s, double line_rt_ns)>
      after_pair;
  // A paired cell starts narrowing its ratio (with this budget, of which restored pairs spent
  // `spent_s`), and ends it (target met, budget spent, or a failed check): the progress line.
  std::function<void(const PreparedCell&, double budget_s, double spent_s)> pairing_started;
  std::function<void(const PreparedCell&)> pairing_ended;
  // True once the run should stop (a signal): no pass starts after it.
  std::function<bool()> stop_requested;
  // What an earlier run did for a cell; nothing when empty.
  std::function<RestoredPasses(const CellResult&)> restored;
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
