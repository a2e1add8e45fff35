// The sweep behind `streamgauge latency`: rates as the command line spells them, the sustainable
// throughput's rule, and one small sweep of a real scenario end to end.
#include <catch2/catch.hpp>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "harness/latency/latency_sweep.h"

using namespace sg;

TEST_CASE("latency: --rates takes records/s and shares of the peak, and names a bad entry") {
  const std::vector<RateSpec> r = parse_rates("10%,200000,50k,1.5M");
  REQUIRE(r.size() == 4);
  REQUIRE(r[0].share_of_peak);
  REQUIRE(r[0].value == 10.0);
  REQUIRE(!r[1].share_of_peak);
  REQUIRE(r[1].value == 200000.0);
  REQUIRE(r[2].value == 50000.0);
  REQUIRE(r[3].value == 1.5e6);
  REQUIRE(r[3].text == "1.5M");
  REQUIRE_THROWS_WITH(parse_rates("10%,fast"), Catch::Contains("entry 2 'fast'"));
  REQUIRE_THROWS_WITH(parse_rates("10%,,20%"), Catch::Contains("entry 2 '': empty"));
  REQUIRE_THROWS_WITH(parse_rates("-5%"), Catch::Contains("must be positive"));
  REQUIRE_THROWS_WITH(parse_rates("12x"), Catch::Contains("not a number"));
}

TEST_CASE("latency: the sustainable throughput is the highest passing rate under the bound") {
  auto point = [](double rate, uint64_t p99_ns, bool ok) {
    RatePoint p;
    p.offered_rate = rate;
    p.ok = ok;
    for (int i = 0; i < 100; ++i) p.latency.record(p99_ns);
    return p;
  };
  std::vector<RatePoint> points;
  points.push_back(point(1000, 1'000'000, true));
  points.push_back(point(3000, 9'000'000, true));
  points.push_back(point(2000, 50'000'000, true));  // over the bound: not sustainable
  points.push_back(point(5000, 1'000, false));      // failed: never counts
  REQUIRE(sustainable_rate(points, 10.0) == 3000.0);
  REQUIRE(sustainable_rate(points, 5.0) == 1000.0);
  REQUIRE(!sustainable_rate(points, 0.5));
}

TEST_CASE("latency: a small sweep of s0_pure_select measures, checks and reports every rate") {
  const Scenario scenario = load_scenario(std::filesystem::path(STREAMGAUGE_SOURCE_DIR) /
                                          "scenarios/s0_pure_select.toml");
  LatencySweepSpec spec;
  spec.strategy = "batch_lock";
  spec.config.batch_size = 100;
  spec.rates = parse_rates("20k,1%");
  spec.repetitions = 2;
  spec.duration_s = 0.05;  // 1,000 records at 20k/s
  spec.min_records = 500;
  spec.max_records = 2000;
  spec.peak_records = 20000;
  spec.peak_repetitions = 1;
  spec.p99_bound_ms = 1e6;  // everything passes: the sustainable rate is the highest tried
  const LatencySweepResult r = run_latency_sweep(scenario, spec, nullptr);
  REQUIRE(r.peak_samples.size() == 1);
  REQUIRE(r.peak_rate > 0);
  REQUIRE(r.points.size() == 2);
  REQUIRE(r.ok());
  const RatePoint& absolute = r.points[0];
  REQUIRE(absolute.offered_rate == 20000.0);
  REQUIRE(absolute.records == 1000);
  REQUIRE(absolute.passes.size() == 2);
  // s0 keeps the rows with total_amount > 100: every kept row is one latency sample.
  REQUIRE(absolute.latency.count() == absolute.passes[0].run.rows_written * 2);
  REQUIRE(absolute.latency.count() > 0);
  REQUIRE(r.points[1].offered_rate == Approx(r.peak_rate / 100));
  REQUIRE(r.sustainable_rate == std::max(r.points[0].offered_rate, r.points[1].offered_rate));
  const nlohmann::json j = r.to_json(spec);
  REQUIRE(j.at("rates").size() == 2);
  REQUIRE(j.at("rates")[0].at("passes").size() == 2);
  REQUIRE(j.at("rates")[0].at("latency_ns").at("buckets").size() > 0);
  REQUIRE(j.at("peak").at("samples_records_per_s").size() == 1);
}
