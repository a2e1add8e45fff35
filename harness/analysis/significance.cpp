#include "harness/analysis/significance.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

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
  std::vector<double> rank(n);
  double tie_term = 0;  // sum of (t^3 - t) over tie groups
  bool ties = false;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j + 1 < n && pooled[j + 1].first == pooled[i].first) ++j;
    const double mid = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    for (size_t k = i; k <= j; ++k) rank[k] = mid;
    const double t = static_cast<double>(j - i + 1);
    if (t > 1) {
      ties = true;
      tie_term += t * t * t - t;
    }
    i = j + 1;
  }
  double r1 = 0;
  for (size_t i = 0; i < n; ++i)
    if (pooled[i].second == 0) r1 += rank[i];
  const double dn1 = static_cast<double>(n1), dn2 = static_cast<double>(n2);
  out.u = r1 - dn1 * (dn1 + 1) / 2;
  const double mean_u = dn1 * dn2 / 2;

  if (!ties && n1 <= 30 && n2 <= 30) {
    // Exact: P(|U - mean| >= |u - mean|) under the null, from the rank-sum distribution.
    std::vector<double> counts = rank_sum_counts(static_cast<int>(n), static_cast<int>(n1));
    const double total = std::accumulate(counts.begin(), counts.end(), 0.0);
    const double offset = dn1 * (dn1 + 1) / 2;
    const double dev = std::fabs(out.u - mean_u);
    double extreme = 0;
    for (size_t s = 0; s < counts.size(); ++s) {
      if (counts[s] == 0) continue;
      const double u = static_cast<double>(s) - offset;
      if (std::fabs(u - mean_u) >= dev - 1e-9) extreme += counts[s];
    }
    out.p_value = std::min(1.0, extreme / total);
    out.exact = true;
    return out;
  }
  const double nn = dn1 + dn2;
  const double var = dn1 * dn2 / 12.0 * ((nn + 1) - tie_term / (nn * (nn - 1)));
  if (var <= 0) return out;  // every value equal: no evidence of a difference
  const double z = (std::fabs(out.u - mean_u) - 0.5) / std::sqrt(var);
  out.p_value = std::min(1.0, std::erfc(std::max(0.0, z) / std::sqrt(2.0)));
  return out;
}

}  // namespace sg
