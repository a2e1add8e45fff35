// Google Benchmark JSON -> wall-clock ns per item (benchmark_json.h).
#include "harness/analysis/benchmark_json.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string_view>

#include <fmt/format.h>

#include "harness/job/json_depth.h"

namespace sg {

double median_of(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

namespace {

constexpr std::string_view kCounterSuffix = "_ns";

bool is_ns_counter(const std::string& key, const nlohmann::json& value) {
  // The line probes are the cross-core regime's (in_regime), not a cost.
  return key.size() > kCounterSuffix.size() && key.ends_with(kCounterSuffix) &&
         key != "line_rt_ns" && key != "line_rt_after_ns" && value.is_number();
}

// An entry's "_ns" counters, each under counter_benchmark: a repetition's into `iterations`,
// the median aggregate's into `medians` (the other aggregates are left out).
void add_counters(const nlohmann::json& b, std::map<std::string, std::vector<double>>& iterations,
                  std::map<std::string, double>& medians) {
  const std::string name = b.value("run_name", b.value("name", std::string()));
  const bool aggregate = b.value("run_type", std::string("iteration")) == "aggregate";
  if (aggregate && b.value("aggregate_name", std::string()) != "median") return;
  for (const auto& [key, value] : b.items()) {
    if (!is_ns_counter(key, value)) continue;
    const std::string pseudo = counter_benchmark(name, key);
    if (aggregate)
      medians[pseudo] = value.get<double>();
    else
      iterations[pseudo].push_back(value.get<double>());
  }
}

}  // namespace

std::string counter_benchmark(const std::string& benchmark, const std::string& counter) {
  return benchmark + ":" + counter;
}

void MicrobenchCosts::add_json(const nlohmann::json& document, const std::string& source) {
  add_document(document, source, false);
}

void MicrobenchCosts::add_document(const nlohmann::json& document, const std::string& source,
                                   bool earlier) {
  if (!document.is_object() || !document.contains("benchmarks") ||
      !document["benchmarks"].is_array())
    throw ExplainError(source + ": not Google Benchmark JSON (no \"benchmarks\" array)");
  std::map<std::string, std::vector<double>> iterations;
  std::map<std::string, double> medians;
  for (const nlohmann::json& b : document["benchmarks"]) {
    if (!b.is_object()) continue;
    add_counters(b, iterations, medians);
    if (!b.contains("items_per_second") || !b["items_per_second"].is_number()) continue;
    const double rate = b["items_per_second"].get<double>();
    if (rate <= 0) continue;
    const std::string name = b.value("run_name", b.value("name", std::string()));
    // items_per_second is per CPU second unless the benchmark uses real time, or manual time
    // (wall time the benchmark measured itself). The matrix measures wall time, so the unit
    // costs are wall time too: on a loaded machine a thread gets a fraction of a core, and CPU
    // time would under-price every component alike.
    double wall_per_cpu = 1.0;
    const bool wall_time = name.find("/real_time") != std::string::npos ||
                           name.find("/manual_time") != std::string::npos;
    if (!wall_time && b.contains("real_time") && b.contains("cpu_time") &&
        b["cpu_time"].get<double>() > 0)
      wall_per_cpu = b["real_time"].get<double>() / b["cpu_time"].get<double>();
    const double ns = 1e9 / rate * wall_per_cpu;
    if (b.value("run_type", std::string("iteration")) == "aggregate") {
      if (b.value("aggregate_name", std::string()) == "median") medians[name] = ns;
    } else {
      iterations[name].push_back(ns);
      const double line_rt = b.value("line_rt_ns", 0.0);
      if (line_rt > 0)
        probed_[name].push_back({ns, line_rt, b.value("line_rt_after_ns", 0.0), earlier});
    }
  }
  for (auto& [name, values] : iterations) reading_ns_[earlier ? 0 : 1][name] = median_of(values);
  if (earlier) return;  // an earlier reading prices nothing outside in_regime
  for (auto& [name, values] : iterations) ns_per_item_[name] = median_of(values);
  for (auto& [name, value] : medians) ns_per_item_[name] = value;  // the aggregate wins
}

namespace {

// The microbench folders' reading: a missing or empty one says how to make one.
void load_microbench_dir(
    const std::filesystem::path& dir,
    const std::function<void(const nlohmann::json&, const std::string&)>& add) {
  if (for_each_json_file(dir, "microbench folder (make one with scripts/microbench --out DIR)",
                         add) == 0)
    throw ExplainError(dir.string() + ": no *.json microbench results in it");
}

}  // namespace

MicrobenchCosts MicrobenchCosts::load_dir(const std::filesystem::path& dir) {
  MicrobenchCosts costs;
  costs.set_origin(dir.string());
  load_microbench_dir(dir, [&](const nlohmann::json& document, const std::string& source) {
    costs.add_document(document, source, false);
  });
  return costs;
}

void MicrobenchCosts::add_earlier_reading(const std::filesystem::path& dir) {
  load_microbench_dir(dir, [&](const nlohmann::json& document, const std::string& source) {
    add_document(document, source, true);
  });
}

size_t for_each_json_file(
    const std::filesystem::path& dir, const std::string& what,
    const std::function<void(const nlohmann::json&, const std::string&)>& add) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    throw ExplainError(dir.string() + ": no such " + what);
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const std::filesystem::path& file : files) {
    std::ifstream in(file);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    try {
      check_json_depth(text, file.string());
    } catch (const std::runtime_error& e) {
      throw ExplainError(e.what());
    }
    nlohmann::json document;
    try {
      document = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
      throw ExplainError(file.string() + ": not valid JSON: " + e.what());
    }
    add(document, file.string());
  }
  return files.size();
}

std::vector<double> MicrobenchCosts::line_probes() const {
  std::vector<double> out;
  for (const auto& [name, reps] : probed_)
    for (const ProbedRepetition& r : reps) {
      out.push_back(r.line_rt_ns);
      if (r.line_rt_after_ns > 0) out.push_back(r.line_rt_after_ns);
    }
  return out;
}

MicrobenchCosts MicrobenchCosts::in_regime(double low_ns, double high_ns,
                                           std::vector<std::string>& notes) const {
  MicrobenchCosts out = *this;
  for (const auto& [name, reps] : probed_) {
    std::vector<double> inside, earlier, later;
    double lowest = reps.front().line_rt_ns, highest = lowest;
    auto in_band = [&](double ns) { return low_ns <= ns && ns <= high_ns; };
    for (const ProbedRepetition& r : reps) {
      // Both probes in the band (results from before the probe after have the one before only).
      if (in_band(r.line_rt_ns) && (r.line_rt_after_ns <= 0 || in_band(r.line_rt_after_ns))) {
        inside.push_back(r.ns_per_item);
        (r.earlier ? earlier : later).push_back(r.ns_per_item);
      }
      for (double probe :
           {r.line_rt_ns, r.line_rt_after_ns > 0 ? r.line_rt_after_ns : r.line_rt_ns}) {
        lowest = std::min(lowest, probe);
        highest = std::max(highest, probe);
      }
    }
    for (int reading : {0, 1}) {
      const std::vector<double>& in = reading == 0 ? earlier : later;
      if (in.size() >= kMinInRegime)
        out.reading_ns_[reading][name] = median_of(in);
      else
        out.reading_ns_[reading].erase(name);
    }
    if (earlier.size() >= kMinInRegime && later.size() >= kMinInRegime)
      out.probed_twice_.insert(name);
    if (!earlier.empty() && !later.empty()) {
      const double a = median_of(earlier), b = median_of(later);
      if (std::max(a, b) > kReadingsApart * std::min(a, b))
        notes.push_back(
            fmt::format("{}: its two readings in the regime differ: {:.1f} ns per item earlier ({} "
                        "repetition{}), {:.1f} ns later ({}); priced at the median of all {}",
                        name, a, earlier.size(), earlier.size() == 1 ? "" : "s", b, later.size(),
                        inside.size()));
    }
    if (inside.size() >= kMinInRegime) {
      out.ns_per_item_[name] = median_of(inside);
    } else if (!inside.empty()) {
      out.outside_regime_.insert(name);
      out.ns_per_item_[name] = median_of(inside);
      notes.push_back(fmt::format(
          "{}: only {} of its {} repetitions ran at a line round trip of {:.0f}-{:.0f} ns ({} "
          "needed; the others at up to {:.0f} ns); priced from it, or by its fallback where that "
          "ran in the regime",
          name, inside.size(), reps.size(), low_ns, high_ns, kMinInRegime, highest));
    } else {
      out.outside_regime_.insert(name);
      notes.push_back(fmt::format(
          "{}: none of its {} repetitions ran at a line round trip of {:.0f}-{:.0f} ns (they ran "
          "at {:.0f}-{:.0f} ns); priced from all of them, or by its fallback where that ran in "
          "the regime",
          name, reps.size(), low_ns, high_ns, lowest, highest));
    }
  }
  return out;
}

std::optional<double> MicrobenchCosts::reading_ns(const std::string& benchmark, int reading) const {
  const std::map<std::string, double>& in = reading_ns_[reading == 0 ? 0 : 1];
  auto it = in.find(benchmark);
  if (it == in.end()) return std::nullopt;
  return it->second;
}

double MicrobenchCosts::ns_per_item(const std::string& benchmark) const {
  auto it = ns_per_item_.find(benchmark);
  if (it == ns_per_item_.end())
    throw ExplainError(fmt::format(
        "{}: benchmark '{}' is missing (the model needs it; run scripts/microbench without "
        "--filter, or with a filter that keeps it)",
        origin_, benchmark));
  return it->second;
}

}  // namespace sg
