// The latency histogram against exact answers: percentiles of random data against a sorted
// array, merging against recording into one, the edges of its range, and its JSON form.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/job/latency_histogram.h"

using namespace sg;

namespace {

// Values spread over the whole range, log-uniformly (1 ns .. 60 s), plus a share of small ones
// that the first 256 exact buckets hold.
std::vector<uint64_t> random_latencies(size_t n, uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> log_value(0.0, std::log(60e9));
  std::uniform_int_distribution<uint64_t> small(0, 300);
  std::vector<uint64_t> values(n);
  for (size_t i = 0; i < n; ++i) {
    values[i] = i % 10 == 0 ? small(rng) : static_cast<uint64_t>(std::exp(log_value(rng)));
  }
  return values;
}

// The exact percentile with the histogram's definition: the smallest value with at least q% of
// the values at or below it.
uint64_t exact_percentile(const std::vector<uint64_t>& sorted, double q) {
  const auto rank = std::max<uint64_t>(
      1, static_cast<uint64_t>(std::ceil(q / 100.0 * static_cast<double>(sorted.size()) - 1e-9)));
  return sorted[rank - 1];
}

}  // namespace

TEST_CASE("latency histogram: every percentile of random data is within 1% of the exact one") {
  for (uint32_t seed : {1u, 2u, 3u}) {
    std::vector<uint64_t> values = random_latencies(200000, seed);
    LatencyHistogram h;
    for (uint64_t v : values) h.record(v);
    std::sort(values.begin(), values.end());
    std::vector<double> qs = {0.001, 0.1, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 99.999, 100};
    for (int q = 1; q <= 100; ++q) qs.push_back(q);
    for (double q : qs) {
      const uint64_t exact = exact_percentile(values, q);
      const uint64_t got = h.percentile(q);
      INFO("seed " << seed << ", p" << q << ": exact " << exact << ", histogram " << got);
      REQUIRE(got >= exact);
      REQUIRE(static_cast<double>(got - exact) <= 0.01 * static_cast<double>(exact));
    }
    REQUIRE(h.count() == values.size());
    REQUIRE(h.max() == values.back());
    REQUIRE(h.min() == values.front());
    double sum = 0;
    for (uint64_t v : values) sum += static_cast<double>(v);
    REQUIRE(h.mean() == Approx(sum / static_cast<double>(values.size())).epsilon(1e-9));
  }
}

TEST_CASE("latency histogram: every bucket is at most 1% of its values wide, and they tile") {
  uint64_t next = 0;  // buckets cover 0..kHighestTrackable without gap or overlap
  for (size_t i = 0; i < LatencyHistogram::kCountsLength; ++i) {
    const uint64_t lowest = LatencyHistogram::lowest_in_bucket(i);
    const uint64_t highest = LatencyHistogram::highest_in_bucket(i);
    INFO("index " << i << ": [" << lowest << ", " << highest << "]");
    REQUIRE(lowest == next);
    REQUIRE(LatencyHistogram::index_of(lowest) == i);
    REQUIRE(LatencyHistogram::index_of(highest) == i);
    REQUIRE(static_cast<double>(highest - lowest) <= 0.01 * static_cast<double>(lowest) + 1e-9);
    next = highest + 1;
  }
  REQUIRE(next == LatencyHistogram::kHighestTrackable + 1);
  REQUIRE(LatencyHistogram::kHighestTrackable >= 60'000'000'000ull);  // at least 60 s
}

TEST_CASE("latency histogram: merging two equals recording both into one") {
  const std::vector<uint64_t> a = random_latencies(50000, 7);
  const std::vector<uint64_t> b = random_latencies(30000, 8);
  LatencyHistogram ha, hb, both;
  for (uint64_t v : a) ha.record(v), both.record(v);
  for (uint64_t v : b) hb.record(v), both.record(v);
  hb.record(LatencyHistogram::kHighestTrackable + 5);
  both.record(LatencyHistogram::kHighestTrackable + 5);
  ha.merge(hb);
  REQUIRE(ha == both);
  for (const ReportedPercentile& p : reported_percentiles()) {
    REQUIRE(ha.percentile(p.q) == both.percentile(p.q));
  }
  REQUIRE(ha.count() == a.size() + b.size() + 1);
  REQUIRE(ha.clamped() == 1);
  REQUIRE(ha.mean() == both.mean());

  LatencyHistogram empty;
  empty.merge(LatencyHistogram{});
  REQUIRE(empty.count() == 0);
  REQUIRE(empty.min() == 0);
  REQUIRE(empty.percentile(99) == 0);
}

TEST_CASE("latency histogram: edge values 0, 1, the highest trackable and above it") {
  LatencyHistogram h;
  h.record(0);
  REQUIRE(h.percentile(100) == 0);
  h.record(1);
  REQUIRE(h.percentile(100) == 1);
  REQUIRE(h.percentile(50) == 0);
  h.record(LatencyHistogram::kHighestTrackable);
  REQUIRE(h.max() == LatencyHistogram::kHighestTrackable);
  REQUIRE(h.clamped() == 0);
  h.record(LatencyHistogram::kHighestTrackable + 1);
  h.record(UINT64_MAX);
  h.record_signed(-5);  // a negative latency is 0
  REQUIRE(h.clamped() == 2);
  REQUIRE(h.count() == 6);
  REQUIRE(h.max() == LatencyHistogram::kHighestTrackable);  // clamped, not wrapped
  REQUIRE(h.percentile(100) == LatencyHistogram::kHighestTrackable);
  REQUIRE(h.min() == 0);
  REQUIRE(h.percentile(50) == 1);  // 0, 0, 1 | max, max, max
  REQUIRE_THROWS_AS(h.percentile(0), std::invalid_argument);
  REQUIRE_THROWS_AS(h.percentile(100.5), std::invalid_argument);
}

TEST_CASE("latency histogram: JSON keeps the buckets, and rebuilds an equal histogram") {
  LatencyHistogram h;
  for (uint64_t v : random_latencies(10000, 11)) h.record(v);
  h.record(UINT64_MAX);
  const nlohmann::json j = h.to_json();
  REQUIRE(j.at("count") == 10001);
  REQUIRE(j.at("clamped") == 1);
  REQUIRE(j.at("p99") == h.percentile(99));
  REQUIRE(j.at("p99_99") == h.percentile(99.99));
  REQUIRE(LatencyHistogram::from_json(nlohmann::json::parse(j.dump())) == h);

  nlohmann::json bad = j;
  bad["count"] = 3;
  REQUIRE_THROWS_WITH(LatencyHistogram::from_json(bad), Catch::Contains("add up to 10001"));
  bad = j;
  bad["buckets"][0][0] = 257;  // not where a bucket starts (256-257 is one bucket)
  REQUIRE_THROWS_WITH(LatencyHistogram::from_json(bad), Catch::Contains("not the start"));
}
