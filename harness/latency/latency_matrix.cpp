#include "harness/latency/latency_matrix.h"

#include <algorithm>

#include "harness/workload/toml_access.h"

namespace sg {
namespace {

// The sizes a [quick] table may override, read from `t` over what `spec` holds.
void apply_sizes(const TomlTable& t, LatencySweepSpec& spec) {
  spec.repetitions = static_cast<int>(t.optional<int64_t>("repetitions", spec.repetitions));
  spec.duration_s = t.optional<double>("duration_s", spec.duration_s);
  spec.max_records = static_cast<uint64_t>(
      t.optional<int64_t>("max_records", static_cast<int64_t>(spec.max_records)));
  spec.peak_records = static_cast<uint64_t>(
      t.optional<int64_t>("peak_records", static_cast<int64_t>(spec.peak_records)));
  spec.peak_repetitions =
      static_cast<int>(t.optional<int64_t>("peak_repetitions", spec.peak_repetitions));
  if (spec.repetitions < 1) t.fail("repetitions", "must be at least 1");
  if (spec.peak_repetitions < 1) t.fail("peak_repetitions", "must be at least 1");
  if (!(spec.duration_s > 0)) t.fail("duration_s", "must be positive");
}

LatencyMatrix build(const TomlTable& root, const std::vector<Scenario>& scenarios, bool quick) {
  LatencyMatrix m;
  m.name = root.required<std::string>("name");
  m.description = root.optional<std::string>("description", "");
  LatencySweepSpec base;
  try {
    base.rates = parse_rates(root.required<std::string>("rates"));
  } catch (const std::invalid_argument& e) {
    root.fail("rates", e.what());
  }
  const std::string arrival = root.optional<std::string>("arrival", "constant");
  if (auto a = parse_arrival(arrival)) {
    base.arrival = *a;
  } else {
    root.fail("arrival", "unknown arrival '" + arrival + "'; known: constant, poisson");
  }
  // batch_size = N, or batch_sizes = [N, ...] (a dimension), not both.
  if (root.has("batch_size") && root.has("batch_sizes"))
    root.fail("batch_sizes", "give batch_size or batch_sizes, not both");
  std::vector<int64_t> batch_sizes = root.int_list("batch_sizes");
  if (batch_sizes.empty()) batch_sizes = {root.optional<int64_t>("batch_size", 1000)};
  for (int64_t b : batch_sizes)
    if (b < 1)
      root.fail(root.has("batch_sizes") ? "batch_sizes" : "batch_size", "must be at least 1");
  base.config.partitions = static_cast<int>(root.optional<int64_t>("partitions", 1));
  base.config.pin_threads = root.optional<bool>("pin_threads", false);
  base.p99_bound_ms = root.optional<double>("p99_bound_ms", base.p99_bound_ms);
  apply_sizes(root, base);
  if (auto q = root.table("quick")) {
    q->reject_unknown(
        {"repetitions", "duration_s", "max_records", "peak_records", "peak_repetitions"});
    if (quick) apply_sizes(*q, base);
  }
  std::vector<int64_t> lingers = root.int_list("linger_us");
  if (lingers.empty()) lingers = {0};
  for (int64_t l : lingers)
    if (l < 0) root.fail("linger_us", "must be 0 or more");

  std::vector<const Scenario*> chosen;
  for (const std::string& name : root.string_list("scenarios")) {
    auto it = std::find_if(scenarios.begin(), scenarios.end(),
                           [&](const Scenario& s) { return s.name == name; });
    if (it == scenarios.end()) root.fail("scenarios", "unknown scenario '" + name + "'");
    chosen.push_back(&*it);
  }
  const std::vector<std::string> strategy_list = root.string_list("strategies");
  for (const std::string& name : strategy_list)
    if (!make_strategy(name))
      root.fail("strategies", "unknown strategy '" + name + "'; known: " + strategy_names());
  if (chosen.empty()) root.fail("scenarios", "names no scenario");
  if (strategy_list.empty()) root.fail("strategies", "names no strategy");
  root.reject_unknown({"name", "description", "scenarios", "strategies", "rates", "arrival",
                       "batch_size", "batch_sizes", "partitions", "linger_us", "repetitions",
                       "duration_s", "max_records", "peak_records", "peak_repetitions",
                       "p99_bound_ms", "pin_threads", "quick"});
  for (const Scenario* s : chosen) {
    for (const std::string& strategy : strategy_list) {
      for (int64_t batch : batch_sizes) {
        for (int64_t linger : lingers) {
          LatencyCell cell{s, base};
          cell.spec.strategy = strategy;
          cell.spec.config.batch_size = static_cast<size_t>(batch);
          cell.spec.linger_ns = linger * 1000;
          // direct runs one engine: a partition count is lockless_stp's and adaptive's.
          if (!make_strategy(strategy)->settings().reads(Setting::Partitions))
            cell.spec.config.partitions = 1;
          m.cells.push_back(std::move(cell));
        }
      }
    }
  }
  return m;
}

}  // namespace

LatencyMatrix parse_latency_matrix(std::string_view text, const std::string& name,
                                   const std::vector<Scenario>& scenarios, bool quick) {
  TomlDocument doc = TomlDocument::parse_string(text, name);
  return build(doc.root(), scenarios, quick);
}

LatencyMatrix load_latency_matrix(const std::filesystem::path& file,
                                  const std::vector<Scenario>& scenarios, bool quick) {
  TomlDocument doc = TomlDocument::parse_file(file);
  return build(doc.root(), scenarios, quick);
}

}  // namespace sg
