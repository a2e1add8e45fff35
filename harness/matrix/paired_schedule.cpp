#include "harness/matrix/paired_schedule.h"

#include <cmath>

namespace sg {

const char* paired_stop_name(PairedStop s) {
  switch (s) {
    case PairedStop::Running:
      return "running";
    case PairedStop::Target:
      return "half-width target";
    case PairedStop::Budget:
      return "budget";
    case PairedStop::Cap:
      return "pair cap";
    case PairedStop::Minimum:
      return "minimum pairs";
  }
  return "?";
}

void PairedSchedule::add(double cell_ns, double baseline_ns, double spent_s) {
  if (done()) return;
  cell_ns_.push_back(cell_ns);
  baseline_ns_.push_back(baseline_ns);
  ratios_.push_back(baseline_ns > 0 && cell_ns > 0 ? cell_ns / baseline_ns : 1.0);
  spent_s_ += spent_s;
  const int n = static_cast<int>(ratios_.size());
  if (n < options_.min_pairs) return;
  const PairedRatio r = ratio();
  const double overhead_limit = options_.target_overhead_half_width * std::abs(r.ratio - 1);
  const bool overhead_narrow =
      options_.target_overhead_half_width <= 0 || (r.high - r.low) / 2 <= overhead_limit;
  if (r.reaches_confidence && r.half_width() <= options_.target_half_width && overhead_narrow) {
    stop_ = PairedStop::Target;
  } else if (options_.budget_s <= 0) {
    stop_ = PairedStop::Minimum;
  } else if (spent_s_ >= options_.budget_s) {
    stop_ = PairedStop::Budget;
  } else if (n >= options_.max_pairs) {
    stop_ = PairedStop::Cap;
  }
}

PairedRatio PairedSchedule::ratio() const {
  return paired_ratio(ratios_, options_.confidence);
}

}  // namespace sg
