// Is a difference between two sets of timings real? A rank test, because timings on a shared
// machine are skewed and have outliers, which a t-test mishandles.
#pragma once

#include <span>

namespace sg {

struct MannWhitney {
  double u = 0;        // U statistic of the first sample
  double p_value = 1;  // two-sided
  bool exact = false;  // exact distribution (small samples, no ties) vs normal approximation
};

// Two-sided Mann-Whitney U test. Exact for samples of up to 30 each without ties; otherwise the
// normal approximation with tie correction and continuity correction.
MannWhitney mann_whitney(std::span<const double> a, std::span<const double> b);

}  // namespace sg
