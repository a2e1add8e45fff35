// Unit costs from Google Benchmark JSON, the microbenches' results that `streamgauge explain`
// prices a run's counts with (overhead_model.h).
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sg {

// Every error `streamgauge explain` reports to the user: bad input, a missing benchmark.
class ExplainError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The median, 0 for no values (of benchmark repetitions, of a cell's samples).
double median_of(std::vector<double> values);

// Every *.json in `dir`, in name order, parsed and passed to `add` with its path; returns how
// many. Throws ExplainError naming the file for bad or too deeply nested JSON, and
// "DIR: no such WHAT" for a missing folder.
size_t for_each_json_file(
    const std::filesystem::path& dir, const std::string& what,
    const std::function<void(const nlohmann::json&, const std::string&)>& add);

// The name a benchmark's counter is priced under: "BENCHMARK:COUNTER".
std::string counter_benchmark(const std::string& benchmark, const std::string& counter);

// Unit costs read from Google Benchmark JSON: wall-clock nanoseconds per item (1e9 /
// items_per_second, scaled by real_time / cpu_time for benchmarks timed on CPU time, since the
// matrix measures wall time), the repetitions' "median" aggregate when present, else the median
// of the iteration entries. A user counter whose name ends in "_ns" is a cost the benchmark
// timed itself, in wall-clock ns per item (a difference of two loops run side by side, say), and
// is read the same way under counter_benchmark(name, counter).
class MicrobenchCosts {
 public:
  // Every *.json in `dir`. Throws ExplainError for a missing folder, an empty one, bad JSON.
  static MicrobenchCosts load_dir(const std::filesystem::path& dir);
  // One Google Benchmark JSON document; `source` names it in errors.
  void add_json(const nlohmann::json& document, const std::string& source);
  // A second reading of the probed benchmarks, taken at another time (scripts/run: before the
  // matrices, the rest after them): every *.json in `dir` adds its probed repetitions only, for
  // in_regime; nothing else changes. Throws ExplainError as load_dir does.
  void add_earlier_reading(const std::filesystem::path& dir);

  bool has(const std::string& benchmark) const { return ns_per_item_.count(benchmark) > 0; }
  // Throws ExplainError naming the benchmark and where the costs came from.
  double ns_per_item(const std::string& benchmark) const;
  const std::string& origin() const { return origin_; }
  void set_origin(std::string origin) { origin_ = std::move(origin); }

  // The costs in one cross-core regime: a benchmark whose repetitions noted the line round trip
  // they ran at (counters "line_rt_ns" before and "line_rt_after_ns" after the timed loop,
  // microbench/line_probe.h) is priced from the median of its repetitions with both probes within
  // [low_ns, high_ns], of both readings. One with fewer than kMinInRegime
  // there is not in_regime_measured (a fallback measured in the band wins), keeps the median of
  // the one inside or, with none, of all, and `notes` gets a line naming it and where its
  // repetitions ran; so does one whose two readings inside the band differ by more than
  // kReadingsApart. One repetition is not enough: the host can move the vCPUs during it and
  // back before the probe after (design-notes#model-shortfalls).
  static constexpr double kReadingsApart = 1.25;
  static constexpr size_t kMinInRegime = 2;
  MicrobenchCosts in_regime(double low_ns, double high_ns, std::vector<std::string>& notes) const;
  // Every probe of every probed repetition, both readings: before and (where taken) after its
  // timed loop, in ns (cross_core_regime pools them with the matrix's).
  std::vector<double> line_probes() const;
  // False for a benchmark in_regime priced from all its repetitions (too few in the band).
  bool in_regime_measured(const std::string& benchmark) const {
    return has(benchmark) && outside_regime_.count(benchmark) == 0;
  }
  // The probed benchmarks in_regime priced from fewer than kMinInRegime repetitions in the band.
  const std::set<std::string>& short_of_regime() const { return outside_regime_; }
  // A benchmark's cost within one reading (0: the earlier one, 1: the later), where it has one:
  // the median of that reading's repetitions, for a probed benchmark after in_regime those in the
  // band (at least kMinInRegime). Lets a difference take both its sides from the same minutes.
  std::optional<double> reading_ns(const std::string& benchmark, int reading) const;
  // in_regime found it in the band in both readings.
  bool probed_twice(const std::string& benchmark) const { return probed_twice_.count(benchmark); }

 private:
  struct ProbedRepetition {
    double ns_per_item;
    double line_rt_ns;
    double line_rt_after_ns;  // 0: not probed after (older results)
    bool earlier = false;  // from add_earlier_reading
  };
  void add_document(const nlohmann::json& document, const std::string& source, bool earlier);
  std::map<std::string, double> ns_per_item_;
  std::map<std::string, std::vector<ProbedRepetition>> probed_;
  std::set<std::string> outside_regime_;
  std::map<std::string, double> reading_ns_[2];
  std::set<std::string> probed_twice_;
  std::string origin_ = "the microbench JSON";
};

}  // namespace sg
