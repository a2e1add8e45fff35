// median, quantile and summarize against numpy, on the generated samples of
// tests/harness/job/data/statistics_oracle.json (tests/scripts/make_statistics_oracle.py writes
// it). Tolerance: relative 1e-12 (an interpolation or a sum may round differently, nothing more).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "harness/job/statistics.h"

using namespace sg;

namespace {

nlohmann::json oracle() {
  std::ifstream in(std::filesystem::path(STREAMGAUGE_SOURCE_DIR) / "tests/harness/job/data/statistics_oracle.json");
  REQUIRE(in);
  return nlohmann::json::parse(in);
}

Approx close(double v) { return Approx(v).epsilon(1e-12).margin(1e-12); }

}  // namespace

TEST_CASE("statistics: median, quantiles and summaries agree with numpy on 300 samples") {
  const nlohmann::json doc = oracle();
  const auto qs = doc.at("quantile_probabilities").get<std::vector<double>>();
  size_t even = 0;
  for (const auto& c : doc.at("samples")) {
    const auto v = c.at("values").get<std::vector<double>>();
    INFO("values: " << c.at("values").dump());
    even += v.size() % 2 == 0;
    REQUIRE(median(v) == close(c.at("median").get<double>()));
    for (size_t i = 0; i < qs.size(); ++i) {
      INFO("q = " << qs[i]);
      REQUIRE(quantile(v, qs[i]) == close(c.at("quantiles")[i].get<double>()));
    }
    const Summary s = summarize(v);
    REQUIRE(s.n == v.size());
    REQUIRE(s.median == close(c.at("median").get<double>()));
    REQUIRE(s.mean == close(c.at("mean").get<double>()));
    REQUIRE(s.stddev == Approx(c.at("stddev").get<double>()).epsilon(1e-9).margin(1e-9));
    REQUIRE(s.min == c.at("min").get<double>());
    REQUIRE(s.max == c.at("max").get<double>());
  }
  REQUIRE(doc.at("samples").size() >= 200);
  REQUIRE(even >= 100);  // even lengths: the median is the mean of the two middle values
}

TEST_CASE("statistics: the edges of median and quantile") {
  REQUIRE(median({}) == 0);
  REQUIRE(median({4, 1}) == 2.5);
  REQUIRE(quantile({}, 0.5) == 0);
  REQUIRE(quantile({7}, 0.9) == 7);
  REQUIRE(quantile({1, 2, 3, 4}, 0.5) == 2.5);
  REQUIRE_THROWS_AS(quantile({1, 2}, 1.5), std::invalid_argument);
}
