// The ratio of two costs measured in pairs (a cell and its baseline run back to back), with a
// distribution-free confidence interval.
//
// The figure is the median of the paired ratios cell_i / baseline_i; its interval is the sign
// test inverted: [r(k), r(n+1-k)] of the sorted ratios, with k the largest rank such that
// P(B <= k-1) <= (1 - confidence) / 2 for B ~ Binomial(n, 1/2). It needs no symmetry (timing
// ratios are skewed) and covers the median it is printed beside. Pairing cancels what drifts
// slower than a pair; the two-sample ratio_interval (analysis/significance.h) would not.
#pragma once

#include <cstddef>
#include <span>

namespace sg {

struct PairedRatio {
  size_t n = 0;
  double ratio = 1;  // median of the paired ratios
  double low = 1;    // the interval's bounds, as ratios
  double high = 1;
  double coverage = 0;  // the confidence the order statistics achieve (the binomial is discrete)
  bool reaches_confidence = false;  // coverage >= the requested confidence (needs n >= 6 at 95%)

  // Half the interval's width as a fraction of the ratio: 0.03 reads "+-3%".
  double half_width() const { return ratio > 0 ? (high - low) / (2 * ratio) : 0; }
  // The whole interval lies below 1: the cell was faster than its baseline beyond doubt.
  bool faster_beyond_interval() const { return reaches_confidence && high < 1; }
};

// Throws std::invalid_argument for no ratios, a ratio <= 0 or a confidence outside (0, 1).
PairedRatio paired_ratio(std::span<const double> ratios, double confidence = 0.95);

// P(B <= k) for B ~ Binomial(n, 1/2).
double binomial_half_cdf(size_t n, size_t k);

}  // namespace sg
