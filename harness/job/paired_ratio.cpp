#include "harness/job/paired_ratio.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "harness/job/statistics.h"

namespace sg {

double binomial_half_cdf(size_t n, size_t k) {
  if (k >= n) return 1.0;
  const double nd = static_cast<double>(n);
  double sum = 0;
  for (size_t i = 0; i <= k; ++i) {
    const double id = static_cast<double>(i);
    // In logs: n! / (i! (n-i)!) / 2^n underflows doubles only in the log domain's exp, for
    // terms too small to matter.
    sum += std::exp(std::lgamma(nd + 1) - std::lgamma(id + 1) - std::lgamma(nd - id + 1) -
                    nd * std::log(2.0));
  }
  return std::min(sum, 1.0);
}

PairedRatio paired_ratio(std::span<const double> ratios, double confidence) {
  if (ratios.empty()) throw std::invalid_argument("paired_ratio: no ratios");
  if (!(confidence > 0 && confidence < 1))
    throw std::invalid_argument("paired_ratio: confidence outside (0, 1)");
  std::vector<double> sorted(ratios.begin(), ratios.end());
  for (double r : sorted)
    if (!(r > 0)) throw std::invalid_argument("paired_ratio: ratios must be positive");
  std::sort(sorted.begin(), sorted.end());
  const size_t n = sorted.size();
  const double tail = (1 - confidence) / 2;
  // The largest k (1-based) whose tail P(B <= k-1) stays within `tail`; at least 1.
  size_t k = 1;
  while (k + 1 <= (n + 1) / 2 && binomial_half_cdf(n, k) <= tail) ++k;
  PairedRatio r;
  r.n = n;
  r.ratio = median(sorted);
  r.low = sorted[k - 1];
  r.high = sorted[n - k];
  r.coverage = 1 - 2 * binomial_half_cdf(n, k - 1);
  r.reaches_confidence = r.coverage >= confidence;
  return r;
}

}  // namespace sg
