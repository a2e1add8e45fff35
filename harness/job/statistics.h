// Summary statistics of repeated measurements. Medians, not means: one preempted repetition on a
// shared 2-core machine must not move the figure we print.
#pragma once

#include <span>
#include <vector>

namespace sg {

struct Summary {
  size_t n = 0;
  double median = 0;
  double min = 0;
  double max = 0;
  double mean = 0;
  double stddev = 0;  // sample standard deviation (n - 1)
  double cv = 0;      // stddev / mean: the spread, as a fraction
};

Summary summarize(std::span<const double> samples);
double median(std::vector<double> samples);
// The q-quantile (0 <= q <= 1), interpolated linearly between order statistics: Hyndman & Fan's
// type 7, the default of numpy.quantile and R's quantile. 0 for no samples; throws
// std::invalid_argument for q outside [0, 1].
double quantile(std::vector<double> samples, double q);

}  // namespace sg
