// A/A honesty of `compare`'s wall-time verdicts, on synthetic numbers (no timing): the same
// distribution compared with itself must be called "slower" or "faster" at most at the stated
// false-positive rate, alpha = CompareOptions::alpha (0.05), and a real slowdown must be caught
// at the power stated below. Deterministic: a seeded splitmix64 and Box-Muller, no std
// distributions (their output differs between standard libraries).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>

#include "harness/analysis/compare.h"

using namespace sg;

namespace {

class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  double uniform() { return double(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double normal() { return std::sqrt(-2 * std::log(1 - uniform())) * std::cos(2 * M_PI * uniform()); }

 private:
  uint64_t next() {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t s_;
};

// Timing-like samples: lognormal around `center` with log-sd `sigma`, rounded to `grid`
// (a coarse clock: ties).
struct Model {
  int n;
  double sigma;
  double grid = 1;
};

SampleSet draw(Rng& rng, const Model& m, double center) {
  SampleSet s;
  s.kind = "wall_ns";
  auto& v = s.cells["cell"];
  for (int i = 0; i < m.n; ++i) v.push_back(std::round(center * std::exp(m.sigma * rng.normal()) / m.grid) * m.grid);
  return s;
}

struct Rates {
  double changed = 0;      // verdict faster or slower (power: slower)
  double significant = 0;  // the rank test alone: p < alpha
};

Rates run(const Model& m, double shift, int trials, uint64_t seed) {
  Rng rng(seed);
  const CompareOptions o;
  Rates r;
  for (int t = 0; t < trials; ++t) {
    const CellComparison c = compare(draw(rng, m, 1e6), draw(rng, m, 1e6 * shift)).cells.front();
    r.changed += shift == 1 ? c.verdict == Verdict::Slower || c.verdict == Verdict::Faster
                            : c.verdict == Verdict::Slower;
    r.significant += c.test.p_value < o.alpha;
  }
  r.changed /= trials;
  r.significant /= trials;
  return r;
}

}  // namespace

TEST_CASE("compare A/A: the same distribution is called faster or slower at most at alpha") {
  const double alpha = CompareOptions{}.alpha;
  const int trials = 4000;
  // The rank test's own rate may exceed alpha only by sampling error: 3 binomial sd.
  const double allowance = 3 * std::sqrt(alpha * (1 - alpha) / trials);
  const Model models[] = {{7, 0.02}, {7, 0.15}, {5, 0.3}, {40, 0.15}, {10, 0.1, 5e4}, {30, 0.2, 2e4}};
  uint64_t seed = 1;
  for (const Model& m : models) {
    const Rates r = run(m, 1.0, trials, seed++);
    WARN("A/A, " << m.n << " repetitions a side, log-sd " << m.sigma << ", clock grid " << m.grid
                 << ": false-positive verdicts " << r.changed * 100 << "% (bound " << alpha * 100
                 << "%), rank test p < alpha " << r.significant * 100 << "%");
    REQUIRE(r.changed <= alpha);
    REQUIRE(r.significant <= alpha + allowance);
  }
}

TEST_CASE("compare A/B: a real slowdown is called slower at the stated power") {
  struct Case {
    Model model;
    double shift;
    double power;  // the stated lower bound
  } cases[] = {
      {{7, 0.03}, 1.20, 0.95},         // 20% slower, 3% noise, 7 repetitions
      {{10, 0.05}, 1.15, 0.80},        // 15% slower, 5% noise, 10 repetitions
      {{40, 0.10}, 1.15, 0.80},        // normal approximation
      {{10, 0.05, 2e4}, 1.20, 0.90},   // ties from a coarse clock
  };
  uint64_t seed = 100;
  for (const Case& c : cases) {
    const Rates r = run(c.model, c.shift, 1000, seed++);
    WARN("A/B, " << (c.shift - 1) * 100 << "% slower, " << c.model.n << " repetitions a side, log-sd "
                 << c.model.sigma << ", clock grid " << c.model.grid << ": power " << r.changed * 100
                 << "% (stated at least " << c.power * 100 << "%)");
    REQUIRE(r.changed >= c.power);
  }
}
