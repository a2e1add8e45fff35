#include "harness/latency/latency_sweep.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <ostream>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

#include "engine/sql/sql_error.h"
#include "harness/job/statistics.h"
#include "harness/workload/generator.h"

namespace sg {
namespace {

RateSpec parse_rate(std::string_view text, size_t position) {
  auto fail = [&](const char* why) {
    return std::invalid_argument(fmt::format("--rates entry {} '{}': {}", position + 1, text, why));
  };
  if (text.empty()) throw fail("empty");
  RateSpec r;
  r.text = std::string(text);
  std::string number(text);
  double scale = 1;
  if (number.back() == '%') {
    r.share_of_peak = true;
    number.pop_back();
  } else if (number.back() == 'k' || number.back() == 'K') {
    scale = 1e3;
    number.pop_back();
  } else if (number.back() == 'M') {
    scale = 1e6;
    number.pop_back();
  }
  size_t used = 0;
  try {
    r.value = std::stod(number, &used) * scale;
  } catch (const std::exception&) {
    throw fail("not a number (records/s such as 200000 or 200k, or a share of the peak as 50%)");
  }
  if (used != number.size()) throw fail("not a number");
  if (!(r.value > 0) || !std::isfinite(r.value)) throw fail("must be positive");
  return r;
}

struct Data {
  SharedDataset dataset;
  Digest reference;  // direct's output on it: what every pass must reproduce
};

Digest direct_reference(const JobConfig& config, const JobInputs& inputs) {
  JobConfig direct_config;
  direct_config.engine = config.engine;
  direct_config.batch_size = config.batch_size;
  const RunResult r = make_strategy(baseline_strategy())->run(direct_config, inputs);
  if (!r.ok) throw std::runtime_error("the reference (direct) run failed: " + r.error);
  return r.digest;
}

}  // namespace

std::vector<RateSpec> parse_rates(std::string_view list) {
  std::vector<RateSpec> rates;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = std::min(list.find(',', start), list.size());
    rates.push_back(parse_rate(list.substr(start, comma - start), rates.size()));
    start = comma + 1;
  }
  return rates;
}

bool LatencySweepResult::ok() const {
  return std::all_of(points.begin(), points.end(), [](const RatePoint& p) { return p.ok; });
}

LatencySweepResult run_latency_sweep(const Scenario& scenario, const LatencySweepSpec& spec,
                                     std::ostream* progress) {
  std::unique_ptr<Strategy> strategy = make_strategy(spec.strategy);
  if (!strategy) throw std::invalid_argument("unknown strategy '" + spec.strategy + "'");
  std::shared_ptr<const CompiledQuery> query;
  try {
    query = CompiledQuery::compile(scenario.sql, Generator(scenario.generator).schema());
  } catch (const SqlError& e) {
    throw ConfigError(fmt::format("{}: sql: {}", scenario.file.string(), e.what()));
  }
  std::map<uint64_t, Data> data;  // by record count, generated before any timing
  auto data_of = [&](uint64_t records) -> const Data& {
    Data& d = data[records];
    if (!d.dataset) {
      d.dataset = std::make_shared<const Dataset>(generate_dataset(scenario.generator, records));
      JobInputs in;
      in.query = query;
      in.dataset = d.dataset;
      d.reference = direct_reference(spec.config, in);
    }
    return d;
  };

  LatencySweepResult result;
  // The peak: closed-loop passes of the cell, one warm-up first, each checked.
  result.peak_records = spec.peak_records ? spec.peak_records : scenario.records;
  {
    const Data& d = data_of(result.peak_records);
    JobInputs in;
    in.query = query;
    in.dataset = d.dataset;
    for (int pass = -1; pass < spec.peak_repetitions; ++pass) {
      const RunResult r = strategy->run(spec.config, in);
      if (r.skipped || !r.ok) throw std::runtime_error(spec.strategy + ": " + r.error);
      if (!(r.digest == d.reference))
        throw std::runtime_error(spec.strategy + ": the peak pass's output differs from direct's");
      if (pass < 0) continue;  // warm-up
      result.peak_samples.push_back(static_cast<double>(result.peak_records) * 1e9 /
                                    static_cast<double>(std::max<uint64_t>(1, r.wall_ns)));
      if (progress)
        fmt::print(*progress, "[latency] peak pass {}/{}: {:.0f} records/s\n", pass + 1,
                   spec.peak_repetitions, result.peak_samples.back());
    }
    result.peak_rate = median(result.peak_samples);
  }

  for (const RateSpec& rate : spec.rates) {
    RatePoint point;
    point.spec = rate;
    point.offered_rate = rate.share_of_peak ? result.peak_rate * rate.value / 100.0 : rate.value;
    point.records = std::clamp<uint64_t>(
        static_cast<uint64_t>(std::llround(point.offered_rate * spec.duration_s)), spec.min_records,
        spec.max_records);
    const Data& d = data_of(point.records);
    JobInputs in;
    in.query = query;
    in.dataset = d.dataset;
    LatencyRunOptions options;
    options.rate = point.offered_rate;
    options.arrival = spec.arrival;
    options.linger_ns = spec.linger_ns;
    std::vector<double> achieved;
    for (int pass = 0; pass < spec.repetitions; ++pass) {
      options.seed = static_cast<uint64_t>(pass) + 1;
      LatencyRunResult r = run_latency(*strategy, spec.config, in, options);
      if (r.run.skipped || !r.run.ok) {
        point.ok = false;
        point.error = r.run.error;
      } else if (!(r.run.digest == d.reference)) {
        point.ok = false;
        point.error = "the output differs from direct's on the same data";
      }
      if (progress)
        fmt::print(*progress,
                   "[latency] {} ({:.0f} records/s) pass {}/{}: achieved {:.0f}/s, "
                   "p99 {:.3f} ms{}\n",
                   rate.text, point.offered_rate, pass + 1, spec.repetitions, r.achieved_rate,
                   static_cast<double>(r.latency.percentile(99)) / 1e6,
                   point.ok ? "" : ", FAILED: " + point.error);
      if (!point.ok) break;
      point.latency.merge(r.latency);
      point.release_lag.merge(r.release_lag);
      achieved.push_back(r.achieved_rate);
      point.max_backlog = std::max(point.max_backlog, r.max_backlog);
      point.passes.push_back(std::move(r));
    }
    point.achieved_rate = achieved.empty() ? 0.0 : median(achieved);
    // Keeps one rate's data at a time (beside the peak's): millions of records each.
    if (point.records != result.peak_records) data.erase(point.records);
    result.points.push_back(std::move(point));
  }
  result.sustainable_rate = sustainable_rate(result.points, spec.p99_bound_ms);
  return result;
}

std::optional<double> sustainable_rate(const std::vector<RatePoint>& points, double p99_bound_ms) {
  std::optional<double> best;
  for (const RatePoint& p : points) {
    if (!p.ok || static_cast<double>(p.latency.percentile(99)) > p99_bound_ms * 1e6) continue;
    best = std::max(best.value_or(0.0), p.offered_rate);
  }
  return best;
}

nlohmann::json LatencySweepResult::to_json(const LatencySweepSpec& spec) const {
  nlohmann::json j;
  j["strategy"] = spec.strategy;
  j["config"] = spec.config.to_json();
  j["arrival"] = arrival_name(spec.arrival);
  j["linger_ns"] = spec.linger_ns;
  j["repetitions"] = spec.repetitions;
  j["duration_s"] = spec.duration_s;
  j["p99_bound_ms"] = spec.p99_bound_ms;
  j["peak"] = {{"records", peak_records},
               {"repetitions", spec.peak_repetitions},
               {"samples_records_per_s", peak_samples},
               {"median_records_per_s", peak_rate}};
  nlohmann::json rates = nlohmann::json::array();
  for (const RatePoint& p : points) {
    nlohmann::json passes = nlohmann::json::array();
    for (const LatencyRunResult& r : p.passes) passes.push_back(r.to_json());
    rates.push_back({{"rate", p.spec.text},
                     {"offered_rate", p.offered_rate},
                     {"records", p.records},
                     {"ok", p.ok},
                     {"error", p.error},
                     {"achieved_rate", p.achieved_rate},
                     {"max_backlog", p.max_backlog},
                     {"latency_ns", p.latency.to_json()},
                     {"release_lag_ns", p.release_lag.to_json()},
                     {"passes", std::move(passes)}});
  }
  j["rates"] = std::move(rates);
  j["sustainable_rate"] = sustainable_rate ? nlohmann::json(*sustainable_rate) : nlohmann::json();
  return j;
}

}  // namespace sg
