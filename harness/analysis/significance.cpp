#include "harness/analysis/significance.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "harness/job/statistics.h"

namespace sg {

namespace {

// Number of ways to pick k of the ranks 1..n with rank sum s, for all s: the exact null
// distribution of the rank sum. DP over ranks, O(n * k * max_sum).
std::vector<double> rank_sum_counts(int n, int k) {
  const int max_sum = k * n;
  // ways[j][s]: subsets of size j with sum s among the ranks seen so far
  std::vector<std::vector<double>> ways(k + 1, std::vector<double>(max_sum + 1, 0.0));
  ways[0][0] = 1;
  for (int r = 1; r <= n; ++r) {
    for (int j = std::min(r, k); j >= 1; --j) {
      for (int s = max_sum; s >= r; --s) ways[j][s] += ways[j - 1][s - r];
    }
  }
  return ways[k];
}

// Sum of (t^3 - t) over the groups of t equal values of a sorted sample (0: no ties).
double tie_term(const std::vector<double>& sorted) {
  double term = 0;
  for (size_t i = 0; i < sorted.size();) {
    size_t j = i;
    while (j + 1 < sorted.size() && sorted[j + 1] == sorted[i]) ++j;
    const double t = static_cast<double>(j - i + 1);
    term += t * t * t - t;
    i = j + 1;
  }
  return term;
}

// The exact distribution is used without ties and for up to 30 a side (the DP stays small).
bool exact_regime(size_t n1, size_t n2, double ties) { return ties == 0 && n1 <= 30 && n2 <= 30; }

// Variance of U under the null, with the tie correction.
double u_variance(double n1, double n2, double ties) {
  const double nn = n1 + n2;
  return n1 * n2 / 12.0 * ((nn + 1) - ties / (nn * (nn - 1)));
}

// P(U <= q) for q = 0 .. n1*n2: the exact null distribution of U without ties.
std::vector<double> u_cdf(size_t n1, size_t n2) {
  std::vector<double> counts = rank_sum_counts(static_cast<int>(n1 + n2), static_cast<int>(n1));
  const double total = std::accumulate(counts.begin(), counts.end(), 0.0);
  const size_t offset = n1 * (n1 + 1) / 2;  // the smallest rank sum: U = rank sum - offset
  std::vector<double> cdf(n1 * n2 + 1);
  double acc = 0;
  for (size_t q = 0; q < cdf.size(); ++q) cdf[q] = (acc += counts[q + offset]) / total;
  return cdf;
}

// The z with P(Z > z) = tail for a standard normal Z, by bisection on erfc (no std inverse).
double normal_upper_quantile(double tail) {
  double lo = -40, hi = 40;
  for (int i = 0; i < 200; ++i) {
    const double mid = (lo + hi) / 2;
    (0.5 * std::erfc(mid / std::sqrt(2.0)) > tail ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

}  // namespace

MannWhitney mann_whitney(std::span<const double> a, std::span<const double> b) {
  MannWhitney out;
  const size_t n1 = a.size(), n2 = b.size();
  if (n1 == 0 || n2 == 0) return out;

  // Midranks of the pooled samples.
  std::vector<std::pair<double, int>> pooled;
  for (double x : a) pooled.push_back({x, 0});
  for (double x : b) pooled.push_back({x, 1});
  std::sort(pooled.begin(), pooled.end());
  const size_t n = pooled.size();
  std::vector<double> rank(n), values(n);
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j + 1 < n && pooled[j + 1].first == pooled[i].first) ++j;
    const double mid = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    for (size_t k = i; k <= j; ++k) rank[k] = mid;
    i = j + 1;
  }
  for (size_t i = 0; i < n; ++i) values[i] = pooled[i].first;
  const double ties = tie_term(values);
  double r1 = 0;
  for (size_t i = 0; i < n; ++i)
    if (pooled[i].second == 0) r1 += rank[i];
  const double dn1 = static_cast<double>(n1), dn2 = static_cast<double>(n2);
  out.u = r1 - dn1 * (dn1 + 1) / 2;
  const double mean_u = dn1 * dn2 / 2;

  if (exact_regime(n1, n2, ties)) {
    // Exact: P(|U - mean| >= |u - mean|) under the null; the distribution is symmetric, so
    // twice the tail beyond the observed deviation (both tails, when u is the mean: p = 1).
    const std::vector<double> cdf = u_cdf(n1, n2);
    const double dev = std::fabs(out.u - mean_u);
    const double below = std::floor(mean_u - dev + 1e-9);  // the largest U in the lower tail
    out.p_value = below < 0 ? 0 : std::min(1.0, 2 * cdf[static_cast<size_t>(below)]);
    out.exact = true;
    return out;
  }
  const double var = u_variance(dn1, dn2, ties);
  if (var <= 0) return out;  // every value equal: no evidence of a difference
  const double z = (std::fabs(out.u - mean_u) - 0.5) / std::sqrt(var);
  out.p_value = std::min(1.0, std::erfc(std::max(0.0, z) / std::sqrt(2.0)));
  return out;
}

RatioInterval ratio_interval(std::span<const double> baseline, std::span<const double> current,
                             double confidence) {
  if (baseline.empty() || current.empty()) throw std::invalid_argument("ratio_interval: an empty sample");
  if (!(confidence > 0 && confidence < 1)) throw std::invalid_argument("ratio_interval: confidence outside (0, 1)");
  auto logs = [](std::span<const double> v) {
    std::vector<double> out;
    for (double x : v) {
      if (!(x > 0)) throw std::invalid_argument("ratio_interval: values must be positive");
      out.push_back(std::log(x));
    }
    return out;
  };
  const std::vector<double> lb = logs(baseline), lc = logs(current);
  std::vector<double> diffs;
  for (double c : lc)
    for (double b : lb) diffs.push_back(c - b);
  std::sort(diffs.begin(), diffs.end());
  std::vector<double> pooled(baseline.begin(), baseline.end());
  pooled.insert(pooled.end(), current.begin(), current.end());
  std::sort(pooled.begin(), pooled.end());
  const double ties = tie_term(pooled);

  RatioInterval out;
  const size_t n1 = baseline.size(), n2 = current.size(), mn = n1 * n2;
  const double alpha = 1 - confidence;
  size_t k = 0;  // 1-based rank of the lower end among the differences
  if (exact_regime(n1, n2, ties)) {
    const std::vector<double> cdf = u_cdf(n1, n2);
    while (k < mn && cdf[k] < alpha / 2) ++k;  // qwilcox(alpha/2, n1, n2)
    k = std::max<size_t>(k, 1);
    out.coverage = 1 - 2 * cdf[k - 1];
    out.exact = true;
  } else {
    const double sigma = std::sqrt(std::max(0.0, u_variance(double(n1), double(n2), ties)));
    const double x = std::ceil(double(mn) / 2 - 0.5 - normal_upper_quantile(alpha / 2) * sigma);
    k = x < 1 ? 1 : static_cast<size_t>(x);
    out.coverage = confidence;
  }
  k = std::min(k, (mn + 1) / 2);  // a confidence so low that the interval would be empty
  out.ratio = std::exp(median(diffs));
  out.low = std::exp(diffs[k - 1]);
  out.high = std::exp(diffs[mn - k]);
  return out;
}

}  // namespace sg
