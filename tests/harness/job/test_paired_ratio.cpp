#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "harness/job/paired_ratio.h"

using namespace sg;

TEST_CASE("paired ratio: the sign test's ranks and coverage agree with SciPy's binomial") {
  // n, k, 1 - 2 * scipy.stats.binom.cdf(k - 1, n, 0.5), k the largest rank whose tail is <= 2.5%
  // (/usr/bin/python3, SciPy 1.10.1).
  struct Row {
    size_t n, k;
    double coverage;
  };
  const Row rows[] = {{1, 1, 0.0},
                      {5, 1, 0.9375},
                      {6, 1, 0.96875},
                      {7, 1, 0.984375},
                      {8, 1, 0.9921875},
                      {10, 2, 0.978515625},
                      {15, 4, 0.96484375},
                      {20, 6, 0.958610534668},
                      {30, 10, 0.957226054743},
                      {50, 18, 0.967160862436},
                      {100, 40, 0.964799799782},
                      {200, 86, 0.959962808387}};
  for (const Row& row : rows) {
    std::vector<double> ratios;
    for (size_t i = 1; i <= row.n; ++i) ratios.push_back(1.0 + double(i) / 1000);  // r(i) known
    std::shuffle(ratios.begin(), ratios.end(), std::mt19937_64(row.n));
    const PairedRatio r = paired_ratio(ratios);
    INFO("n = " << row.n);
    REQUIRE(r.n == row.n);
    REQUIRE(r.coverage == Approx(row.coverage).margin(1e-9));
    REQUIRE(r.low == Approx(1.0 + double(row.k) / 1000));
    REQUIRE(r.high == Approx(1.0 + double(row.n + 1 - row.k) / 1000));
    REQUIRE(r.reaches_confidence == (row.coverage >= 0.95));
  }
  REQUIRE(paired_ratio(std::vector<double>{0.9, 1.3, 1.1}).ratio == Approx(1.1));  // the median
}

TEST_CASE("paired ratio: the interval shrinks as repetitions grow") {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> noise(0.0, 0.08);  // 8% spread around a true 1.25x
  std::vector<double> ratios;
  double previous = 1e9;
  for (size_t n : {10, 40, 160, 640}) {
    while (ratios.size() < n) ratios.push_back(1.25 * noise(rng));
    const PairedRatio r = paired_ratio(ratios);
    INFO("n = " << n << " half-width " << r.half_width());
    REQUIRE(r.half_width() < previous);
    REQUIRE(r.low <= 1.25);
    REQUIRE(r.high >= 1.25);
    previous = r.half_width();
  }
  REQUIRE(previous < 0.02);
}

TEST_CASE("paired ratio: faster beyond the interval only when the whole interval is below 1") {
  REQUIRE(paired_ratio(std::vector<double>(10, 0.8)).faster_beyond_interval());
  // Five pairs cannot reach 95%, however alike.
  REQUIRE_FALSE(paired_ratio(std::vector<double>(5, 0.8)).faster_beyond_interval());
  std::vector<double> straddling = {0.7, 0.8, 0.9, 0.95, 0.97, 1.02, 1.05, 0.9, 0.85, 1.1};
  REQUIRE_FALSE(paired_ratio(straddling).faster_beyond_interval());
  REQUIRE_THROWS_AS(paired_ratio(std::vector<double>{}), std::invalid_argument);
  REQUIRE_THROWS_AS(paired_ratio(std::vector<double>{1, 0}), std::invalid_argument);
  REQUIRE_THROWS_AS(paired_ratio(std::vector<double>{1}, 1.0), std::invalid_argument);
}
