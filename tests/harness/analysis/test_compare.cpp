#include <catch2/catch.hpp>

#include <random>

#include "harness/analysis/compare.h"
#include "harness/analysis/significance.h"

using namespace sg;

namespace {

// Timings around `center` with a relative jitter, reproducible.
std::vector<double> samples(double center, double jitter, int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<double> v;
  for (int i = 0; i < n; ++i) {
    double u = double(rng() % 10001) / 10000.0 * 2 - 1;  // [-1, 1]
    v.push_back(center * (1 + jitter * u));
  }
  return v;
}

SampleSet wall(std::vector<double> v) {
  SampleSet s;
  s.kind = "wall_ns";
  s.cells["cell"] = std::move(v);
  return s;
}

}  // namespace

TEST_CASE("Mann-Whitney: exact p-values for small samples match the tables") {
  // Completely separated samples of 5 and 5: p = 2 / C(10,5) = 2/252.
  std::vector<double> a{1, 2, 3, 4, 5}, b{6, 7, 8, 9, 10};
  MannWhitney t = mann_whitney(a, b);
  REQUIRE(t.exact);
  REQUIRE(t.u == 0);
  REQUIRE(t.p_value == Approx(2.0 / 252.0));
  // Interleaved samples: no evidence at all.
  std::vector<double> c{1, 3, 5, 7, 9}, d{2, 4, 6, 8, 10};
  REQUIRE(mann_whitney(c, d).p_value > 0.5);
  // Ties use the normal approximation.
  std::vector<double> e{1, 1, 2, 2}, f{3, 3, 4, 4};
  MannWhitney tied = mann_whitney(e, f);
  REQUIRE_FALSE(tied.exact);
  REQUIRE(tied.p_value < 0.05);
}

TEST_CASE("an injected 20% slowdown is a confirmed regression in wall-time mode") {
  Comparison c = compare(wall(samples(1e6, 0.02, 7, 1)), wall(samples(1.2e6, 0.02, 7, 2)));
  REQUIRE(c.cells.size() == 1);
  REQUIRE(c.cells[0].verdict == Verdict::Slower);
  REQUIRE(c.regressed());
  REQUIRE(c.geomean_ratio == Approx(1.2).epsilon(0.05));
}

TEST_CASE("the same build measured twice is reported as the same") {
  Comparison c = compare(wall(samples(1e6, 0.02, 7, 3)), wall(samples(1e6, 0.02, 7, 4)));
  REQUIRE(c.cells[0].verdict == Verdict::Same);
  REQUIRE_FALSE(c.regressed());
}

TEST_CASE("a spread too wide to judge is unstable, not a change") {
  Comparison c = compare(wall(samples(1e6, 0.6, 7, 5)), wall(samples(1.15e6, 0.6, 7, 6)));
  REQUIRE(c.cells[0].verdict == Verdict::Unstable);
  REQUIRE_FALSE(c.regressed());
}

TEST_CASE("too few repetitions cannot confirm anything") {
  Comparison c = compare(wall({1e6, 1e6}), wall({2e6, 2e6}));
  REQUIRE(c.cells[0].verdict == Verdict::Unstable);
  REQUIRE_THAT(c.cells[0].note, Catch::Contains("repetitions"));
}

TEST_CASE("instruction counts: deterministic, 2% threshold") {
  SampleSet base, same, slow, fast;
  base.kind = same.kind = slow.kind = fast.kind = "instructions";
  base.cells["a"] = {1000000};
  same.cells["a"] = {1000000};
  slow.cells["a"] = {1030000};
  fast.cells["a"] = {900000};
  REQUIRE(compare(base, same).cells[0].verdict == Verdict::Same);
  REQUIRE(compare(base, slow).cells[0].verdict == Verdict::Slower);
  REQUIRE(compare(base, fast).cells[0].verdict == Verdict::Faster);
  SampleSet slightly = same;
  slightly.cells["a"] = {1010000};  // 1% is within the threshold
  REQUIRE(compare(base, slightly).cells[0].verdict == Verdict::Same);
}

TEST_CASE("cells on one side only are listed, and kinds must match") {
  SampleSet a = wall(samples(1e6, 0.01, 5, 7)), b = wall(samples(1e6, 0.01, 5, 8));
  b.cells["new"] = {1, 2, 3, 4};
  Comparison c = compare(a, b);
  REQUIRE(c.count(Verdict::OnlyCurrent) == 1);
  SampleSet instr;
  instr.kind = "instructions";
  REQUIRE_THROWS(compare(a, instr));
}

TEST_CASE("result files of each kind load; anything else is a clear error") {
  nlohmann::json matrix = {{"format", "streamgauge-matrix-result/1"},
                           {"cells", {{{"id", "x"}, {"status", "ok"}, {"samples", {{{"wall_ns", 5}}, {{"wall_ns", 6}}}}},
                                      {{"id", "y"}, {"status", "skipped"}}}}};
  SampleSet m = load_sample_set(matrix, "m.json");
  REQUIRE(m.cells.size() == 1);
  REQUIRE(m.cells["x"] == std::vector<double>{5, 6});
  nlohmann::json gbench = {{"context", nlohmann::json::object()},
                           {"benchmarks", {{{"name", "BM_a/repeats:2"}, {"run_name", "BM_a"}, {"run_type", "iteration"}, {"real_time", 2.0}, {"time_unit", "us"}},
                                           {{"name", "BM_a_mean"}, {"run_name", "BM_a"}, {"run_type", "aggregate"}, {"real_time", 2.0}, {"time_unit", "us"}}}}};
  SampleSet g = load_sample_set(gbench, "g.json");
  REQUIRE(g.cells["BM_a"] == std::vector<double>{2000});
  REQUIRE_THROWS_WITH(load_sample_set(nlohmann::json::array(), "z.json"), Catch::Contains("z.json"));
}

TEST_CASE("instruction counts: a cell more than 0.5% cheaper makes the baseline stale") {
  SampleSet base, cur;
  base.kind = cur.kind = "instructions";
  base.cells = {{"a", {1000000}}, {"b", {1000000}}, {"c", {1000000}}};
  cur.cells = {{"a", {996000}}, {"b", {994000}}, {"c", {900000}}};  // -0.4%, -0.6%, -10%
  const Comparison c = compare(base, cur);
  REQUIRE(c.stale_cells() == std::vector<std::string>{"b", "c"});
  REQUIRE(c.cells[1].verdict == Verdict::Same);
  REQUIRE(c.cells[2].verdict == Verdict::Faster);
  REQUIRE_THAT(c.to_text(), Catch::Contains("baseline stale: 2 cell(s)") && Catch::Contains("  b\n"));
  REQUIRE(c.to_json().at("stale_cells") == nlohmann::json{"b", "c"});
  // Wall time is noisy: no ratchet there.
  REQUIRE(compare(wall(samples(1e6, 0.01, 7, 9)), wall(samples(0.9e6, 0.01, 7, 10))).stale_cells().empty());
}
