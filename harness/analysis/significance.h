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

// The ratio current / baseline of two samples of positive costs, with its confidence interval:
// the Hodges-Lehmann shift of the log-values, i.e. exp(median of log(c) - log(b) over all pairs),
// and the interval [exp(D(k)), exp(D(mn+1-k))] of the sorted pairwise log-differences D, which
// is the Mann-Whitney test inverted (what R's wilcox.test(conf.int = TRUE) computes). In the
// regime where mann_whitney is exact (no ties, up to 30 a side) k is qwilcox(alpha/2, m, n),
// at least 1, as in R, and `coverage` the confidence that k achieves (the distribution is
// discrete; below the requested one only when the samples are too small to reach it).
// Otherwise k = ceil(mn/2 - 1/2 - z * sigma) from the continuity-corrected normal approximation
// with the tie-corrected sigma, and `coverage` is the requested confidence.
// Throws std::invalid_argument for an empty sample, a value <= 0 or a confidence outside (0, 1).
struct RatioInterval {
  double ratio = 1;
  double low = 1;
  double high = 1;
  double coverage = 0;
  bool exact = false;
};
RatioInterval ratio_interval(std::span<const double> baseline, std::span<const double> current,
                             double confidence = 0.95);

}  // namespace sg
