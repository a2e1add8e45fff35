// When to stop pairing a cell with its baseline. Each repetition of a paired cell runs the cell
// and its baseline (direct, same scenario, engine, batch size and records) back to back, in an
// order that alternates, so that what drifts slower than a pair cancels in its ratio and neither
// side always runs second. Pairs are added until the ratio's 95% interval (paired_ratio.h) is
// narrow enough, or the cell's time budget is spent, or a cap is reached; never before the
// minimum. The schedule only counts: the caller runs the passes and reports their times, so tests
// drive it with synthetic times.
#pragma once

#include <string>
#include <vector>

#include "harness/job/paired_ratio.h"

namespace sg {

struct PairedScheduleOptions {
  int min_pairs = 5;
  // Stop once the interval's half-width is at most this fraction of the ratio (0.03: +-3%).
  double target_half_width = 0.03;
  // And, where above 0, at most this fraction of the overhead |ratio - 1| (0.1: the overhead
  // known to +-10%): a cell 5% over direct at +-3% knows its overhead only to +-60%, too coarse
  // to check a model of it (overhead_model.h). A cell near 1 pairs on to its budget.
  double target_overhead_half_width = 0;
  // Seconds of passes (cell and baseline) this cell may spend; 0: stop at the minimum.
  double budget_s = 5;
  int max_pairs = 200;
  double confidence = 0.95;
};

enum class PairedStop { Running, Target, Budget, Cap, Minimum };
const char* paired_stop_name(PairedStop s);  // "half-width target", "budget", ...

class PairedSchedule {
 public:
  explicit PairedSchedule(PairedScheduleOptions options) : options_(options) {}

  // The next pair runs the cell first when true, its baseline first when false: the first pair
  // starts with the cell, and the order alternates from there.
  bool cell_first() const { return cell_ns_.size() % 2 == 0; }
  // One pair's wall times (ns), and the seconds the pair took to run (both passes and checks).
  void add(double cell_ns, double baseline_ns, double spent_s);
  bool done() const { return stop_ != PairedStop::Running; }
  PairedStop stop() const { return stop_; }

  size_t pairs() const { return cell_ns_.size(); }
  double spent_s() const { return spent_s_; }
  const std::vector<double>& cell_ns() const { return cell_ns_; }
  const std::vector<double>& baseline_ns() const { return baseline_ns_; }
  // The interval over the pairs so far; throws std::invalid_argument before the first pair.
  PairedRatio ratio() const;
  const PairedScheduleOptions& options() const { return options_; }

 private:
  PairedScheduleOptions options_;
  std::vector<double> cell_ns_, baseline_ns_, ratios_;
  double spent_s_ = 0;
  PairedStop stop_ = PairedStop::Running;
};

}  // namespace sg
