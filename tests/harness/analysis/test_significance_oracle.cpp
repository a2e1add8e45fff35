// mann_whitney, ratio_interval and step_changes against SciPy, on the generated cases of
// tests/harness/analysis/data/significance_oracle.json (tests/scripts/make_statistics_oracle.py
// writes it and documents each reference). Tolerances: U exact; p-values relative 1e-9; ratios
// and interval ends relative 1e-12; verdicts and flagged steps exact.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "harness/analysis/history.h"
#include "harness/analysis/significance.h"

using namespace sg;

namespace {

const nlohmann::json& oracle() {
  static const nlohmann::json doc = [] {
    std::ifstream in(std::filesystem::path(STREAMGAUGE_SOURCE_DIR) /
                     "tests/harness/analysis/data/significance_oracle.json");
    REQUIRE(in);
    return nlohmann::json::parse(in);
  }();
  return doc;
}

std::vector<double> values(const nlohmann::json& j) { return j.get<std::vector<double>>(); }
Approx p_close(double p) { return Approx(p).epsilon(1e-9).margin(1e-300); }
Approx close(double v) { return Approx(v).epsilon(1e-12); }

}  // namespace

TEST_CASE("Mann-Whitney: U and p agree with scipy.stats.mannwhitneyu in every regime") {
  size_t exact = 0, normal = 0, tied = 0;
  for (const auto& c : oracle().at("mann_whitney")) {
    const auto a = values(c.at("a")), b = values(c.at("b"));
    INFO("a: " << c.at("a").dump() << "\nb: " << c.at("b").dump());
    const MannWhitney t = mann_whitney(a, b);
    REQUIRE(t.exact == c.at("exact").get<bool>());
    REQUIRE(t.u == c.at("u").get<double>());
    REQUIRE(t.p_value == p_close(c.at("p").get<double>()));
    std::vector<double> pooled = a;
    pooled.insert(pooled.end(), b.begin(), b.end());
    std::sort(pooled.begin(), pooled.end());
    const bool ties = std::adjacent_find(pooled.begin(), pooled.end()) != pooled.end();
    (t.exact ? exact : ties ? tied : normal)++;
  }
  WARN("Mann-Whitney oracle cases: " << exact << " exact, " << normal
       << " normal approximation without ties, " << tied << " with ties");
  REQUIRE(exact >= 200);
  REQUIRE(normal >= 200);
  REQUIRE(tied >= 200);
}

TEST_CASE("Mann-Whitney: the tie-corrected p of the issue's example") {
  // {1,1,2,2} vs {3,3,4,4}: scipy (asymptotic) 0.026518721959430728; without the right tie
  // correction it would be about 0.0274.
  std::vector<double> a{1, 1, 2, 2}, b{3, 3, 4, 4};
  REQUIRE(mann_whitney(a, b).p_value == p_close(0.026518721959430728));
}

TEST_CASE("ratio interval: the Hodges-Lehmann ratio and interval agree with the reference") {
  size_t exact = 0, normal = 0;
  for (const auto& c : oracle().at("ratio_interval")) {
    const auto b = values(c.at("baseline")), cur = values(c.at("current"));
    INFO("baseline: " << c.at("baseline").dump() << "\ncurrent: " << c.at("current").dump()
                      << "\nconfidence " << c.at("confidence").get<double>());
    const RatioInterval r = ratio_interval(b, cur, c.at("confidence").get<double>());
    REQUIRE(r.exact == c.at("exact").get<bool>());
    REQUIRE(r.ratio == close(c.at("ratio").get<double>()));
    REQUIRE(r.low == close(c.at("low").get<double>()));
    REQUIRE(r.high == close(c.at("high").get<double>()));
    REQUIRE(r.coverage == p_close(c.at("coverage").get<double>()));
    REQUIRE(r.low <= r.ratio);
    REQUIRE(r.ratio <= r.high);
    (r.exact ? exact : normal)++;
  }
  REQUIRE(exact + normal >= 200);
  REQUIRE(normal >= 50);
}

TEST_CASE("ratio interval: a known case and the errors") {
  // Every current value 2x its baseline counterpart: every pairwise log-ratio around log 2.
  std::vector<double> b{10, 11, 12, 13, 14, 15, 16, 17}, c;
  for (double x : b) c.push_back(2 * x);
  const RatioInterval r = ratio_interval(b, c);
  REQUIRE(r.exact);
  REQUIRE(r.ratio == Approx(2));
  REQUIRE(r.low < 2);
  REQUIRE(r.high > 2);
  REQUIRE(r.coverage >= 0.95);
  REQUIRE_THROWS_AS(ratio_interval(b, std::vector<double>{}), std::invalid_argument);
  REQUIRE_THROWS_AS(ratio_interval(b, std::vector<double>{1, 0}), std::invalid_argument);
  REQUIRE_THROWS_AS(ratio_interval(b, c, 1.0), std::invalid_argument);
}

TEST_CASE("history: step changes agree with compare's rule computed with SciPy") {
  size_t histories = 0, steps = 0;
  for (const auto& h : oracle().at("step_changes")) {
    std::vector<HistoryEntry> entries;
    for (const auto& e : h.at("entries")) {
      HistoryEntry entry;
      entry.cell_id = e.at("cell").get<std::string>();
      entry.wall_ns = values(e.at("wall_ns"));
      entries.push_back(entry);
    }
    INFO("history: " << h.at("entries").dump());
    const std::vector<StepChange> found = step_changes(entries);
    const auto& expected = h.at("steps");
    REQUIRE(found.size() == expected.size());
    for (size_t i = 0; i < found.size(); ++i) {
      REQUIRE(found[i].index == expected[i].at("index").get<size_t>());
      REQUIRE(verdict_name(found[i].comparison.verdict) == expected[i].at("verdict").get<std::string>());
      REQUIRE(found[i].comparison.ratio == close(expected[i].at("ratio").get<double>()));
      REQUIRE(found[i].comparison.test.p_value == p_close(expected[i].at("p").get<double>()));
    }
    ++histories;
    steps += found.size();
  }
  REQUIRE(histories >= 200);
  REQUIRE(steps >= 100);
}
