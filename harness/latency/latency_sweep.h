// `streamgauge latency`: one scenario x strategy at several offered rates. The cell's peak
// throughput is measured first (closed loop, as `run` does), so rates can be given as a share of
// it; then each rate runs open-loop passes (latency_run.h) on data generated for that rate, each
// pass checked against direct's output on the same data. The sustainable throughput is the
// highest rate tried whose p99 stays under a bound.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "harness/latency/latency_run.h"
#include "harness/workload/scenario.h"

namespace sg {

// One entry of --rates: "50%" (of the measured peak) or "200000" (records/s, "200k", "1.5M").
struct RateSpec {
  std::string text;
  double value = 0;
  bool share_of_peak = false;
};
// Parses "10%,50%,200k"; throws std::invalid_argument naming the entry and its position.
std::vector<RateSpec> parse_rates(std::string_view list);

struct LatencySweepSpec {
  std::string strategy;
  JobConfig config;
  std::vector<RateSpec> rates;
  Arrival arrival = Arrival::Constant;
  int64_t linger_ns = 0;    // PacedReader's linger: wait up to this long for a full batch
  int repetitions = 3;      // latency passes per rate
  double duration_s = 1.0;  // per pass: records = rate x duration, within the bounds below
  uint64_t min_records = 1000;
  uint64_t max_records = 4'000'000;
  uint64_t peak_records = 0;  // records of the peak passes (0: the scenario's)
  int peak_repetitions = 3;
  double p99_bound_ms = 10.0;
};

struct RatePoint {
  RateSpec spec;
  double offered_rate = 0;
  uint64_t records = 0;
  std::vector<LatencyRunResult> passes;
  LatencyHistogram latency;      // every pass's rows, merged
  LatencyHistogram release_lag;  // every pass's releases, merged: how late the source was
  double achieved_rate = 0;      // median over passes
  uint64_t max_backlog = 0;      // largest over passes
  bool ok = true;
  std::string error;  // a pass failed or its output differed from direct's
};

struct LatencySweepResult {
  std::vector<double> peak_samples;  // records/s of each closed-loop pass
  double peak_rate = 0;              // their median
  uint64_t peak_records = 0;
  std::vector<RatePoint> points;
  std::optional<double> sustainable_rate;  // highest offered rate with p99 <= the bound
  bool ok() const;
  nlohmann::json to_json(const LatencySweepSpec& spec) const;
};

// The highest offered rate among the points that passed with a p99 at or under the bound.
std::optional<double> sustainable_rate(const std::vector<RatePoint>& points, double p99_bound_ms);

// `progress` (optional) gets a line per pass.
LatencySweepResult run_latency_sweep(const Scenario& scenario, const LatencySweepSpec& spec,
                                     std::ostream* progress);

}  // namespace sg
