#include "harness/matrix/matrix.h"

#include <algorithm>

#include <fmt/format.h>

#include "harness/peers/peer.h"
#include "harness/strategies/strategy.h"
#include "harness/workload/toml_access.h"

namespace sg {

namespace {

// The dimensions that only some strategies read, one combination per cell. A matrix lists them
// flat so that expand_matrix's loop does not nest once more per dimension.
struct Variant {
  size_t queue = 0;     // index into MatrixSpec::queues
  size_t mode = 0;      // ... streaming_modes
  size_t capacity = 0;  // ... queue_capacities
  size_t end_rule = 0;  // ... end_of_stream
  size_t source = 0;    // ... sources (every strategy reads it)
  size_t handoff = 0;   // ... handoffs
  size_t work = 0;      // ... injected_work (every strategy but direct)
  bool phase_timing = true;
};

// Every combination, or for a strategy that ignores a dimension only its first value: a second
// one would repeat the first cell.
std::vector<Variant> variants(const MatrixSpec& spec, StrategySettings reads, bool baseline) {
  auto count = [&](Setting s, size_t n) { return reads.reads(s) ? n : size_t{1}; };
  const size_t works = baseline ? 1 : spec.injected_work.size();
  std::vector<Variant> out;
  for (size_t qi = 0; qi < count(Setting::Queue, spec.queues.size()); ++qi)
    for (size_t mi = 0; mi < count(Setting::StreamingMode, spec.streaming_modes.size()); ++mi)
      for (size_t ci = 0; ci < count(Setting::QueueCapacity, spec.queue_capacities.size()); ++ci)
        for (size_t ei = 0; ei < count(Setting::EndOfStream, spec.end_of_stream.size()); ++ei)
          for (size_t si = 0; si < spec.sources.size(); ++si)
            for (size_t hi = 0; hi < count(Setting::Handoff, spec.handoffs.size()); ++hi)
              for (size_t wi = 0; wi < works; ++wi)
                for (bool timing : spec.phase_timings)
                  out.push_back({qi, mi, ci, ei, si, hi, wi, timing});
  return out;
}

std::vector<std::string> resolve_names(const TomlTable& t, const std::string& key,
                                       const std::vector<std::string>& known,
                                       const std::string& what, bool required = true) {
  std::vector<std::string> names = t.string_list(key);
  if (names.empty() && required) t.fail(key, "must list at least one " + what);
  std::vector<std::string> out;
  for (const std::string& n : names) {
    if (n == "*") {
      for (const std::string& k : known)
        if (std::find(out.begin(), out.end(), k) == out.end()) out.push_back(k);
      continue;
    }
    if (std::find(known.begin(), known.end(), n) == known.end()) {
      std::string list;
      for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
      t.fail(key, fmt::format("unknown {} '{}'; known: {}", what, n, list));
    }
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  }
  return out;
}

// end_of_stream = ["marker", "empty-reads"], with empty_reads (3) and empty_read_sleep_ms (100).
void apply_end_of_stream(const TomlTable& t, MatrixSpec& spec) {
  EmptyReadsEnd rule;
  rule.reads = static_cast<int>(t.optional<int64_t>("empty_reads", rule.reads));
  const int64_t sleep_ms = t.optional<int64_t>("empty_read_sleep_ms", rule.sleep.count());
  if (rule.reads < 1 || rule.reads > 1000) t.fail("empty_reads", "must be 1 to 1000");
  if (sleep_ms < 0 || sleep_ms > 60'000) t.fail("empty_read_sleep_ms", "must be 0 to 60000");
  rule.sleep = std::chrono::milliseconds(sleep_ms);
  spec.end_of_stream.clear();
  for (const std::string& name : t.string_list("end_of_stream")) {
    if (name == "marker") spec.end_of_stream.push_back(std::nullopt);
    else if (name == "empty-reads") spec.end_of_stream.push_back(rule);
    else t.fail("end_of_stream", "unknown rule '" + name + "'; known: marker, empty-reads");
  }
  if (spec.end_of_stream.empty()) t.fail("end_of_stream", "must list marker and/or empty-reads");
}

std::vector<int64_t> positive_ints(const TomlTable& t, const std::string& key,
                                   std::vector<int64_t> fallback) {
  if (!t.has(key)) return fallback;
  std::vector<int64_t> v = t.int_list(key);
  if (v.empty()) t.fail(key, "must not be empty");
  for (int64_t x : v)
    if (x <= 0) t.fail(key, fmt::format("must be positive, found {}", x));
  return v;
}

// Fields that both the top level and [quick] may set.
void apply_dimensions(const TomlTable& t, MatrixSpec& spec) {
  if (t.has("engines")) {
    spec.engines.clear();
    for (const std::string& e : t.string_list("engines")) {
      auto kind = parse_engine_kind(e);
      if (!kind) t.fail("engines", "unknown engine '" + e + "'; known: sql, passthrough");
      spec.engines.push_back(*kind);
    }
  }
  if (t.has("batch_sizes")) {
    spec.batch_sizes.clear();
    for (int64_t b : positive_ints(t, "batch_sizes", {})) spec.batch_sizes.push_back(size_t(b));
  }
  if (t.has("partitions")) {
    spec.partitions.clear();
    for (int64_t p : positive_ints(t, "partitions", {})) spec.partitions.push_back(int(p));
  }
  if (t.has("queues")) {
    spec.queues.clear();
    for (const std::string& q : t.string_list("queues")) {
      auto kind = parse_queue_kind(q);
      if (!kind) {
        std::string list;
        for (const QueueInfo& info : queue_kinds()) list += (list.empty() ? "" : ", ") + std::string(info.name);
        t.fail("queues", "unknown queue '" + q + "'; known: " + list);
      }
      spec.queues.push_back(*kind);
    }
  }
  if (t.has("streaming_modes")) {
    spec.streaming_modes.clear();
    for (const std::string& m : t.string_list("streaming_modes")) {
      auto mode = parse_streaming_mode(m);
      if (!mode) t.fail("streaming_modes",
                         "unknown mode '" + m + "'; known: " + streaming_mode_names());
      spec.streaming_modes.push_back(*mode);
    }
  }
  if (t.has("queue_capacities")) {
    spec.queue_capacities.clear();
    for (int64_t c : positive_ints(t, "queue_capacities", {}))
      spec.queue_capacities.push_back(size_t(c));
  }
  if (t.has("phase_timing")) {
    spec.phase_timings.clear();
    const toml::array* a = t.array("phase_timing");
    if (!a || a->empty()) t.fail("phase_timing", "expected a list such as [true, false]");
    for (size_t i = 0; i < a->size(); ++i) {
      if (!a->get(i)->is_boolean()) t.fail("phase_timing", fmt::format("element {} is not true or false", i + 1));
      spec.phase_timings.push_back(*a->get(i)->value<bool>());
    }
  }
  if (t.has("end_of_stream")) apply_end_of_stream(t, spec);
  if (t.has("sources")) {
    spec.sources.clear();
    for (const std::string& name : t.string_list("sources")) {
      auto source = parse_source_kind(name);
      if (!source)
        t.fail("sources", "unknown source '" + name + "'; known: " + source_kind_names());
      spec.sources.push_back(*source);
    }
    if (spec.sources.empty()) t.fail("sources", "must list at least one of " + source_kind_names());
  }
  if (t.has("handoffs")) {
    spec.handoffs.clear();
    for (const std::string& name : t.string_list("handoffs")) {
      auto handoff = parse_handoff(name);
      if (!handoff)
        t.fail("handoffs", "unknown hand-off '" + name + "'; known: " + handoff_names());
      spec.handoffs.push_back(*handoff);
    }
    if (spec.handoffs.empty()) t.fail("handoffs", "must list at least one of " + handoff_names());
  }
  if (t.has("inject_work")) {
    spec.injected_work.clear();
    const toml::array* a = t.array("inject_work");
    if (!a) t.fail("inject_work", "expected a list of rounds per record, such as [0, 400]");
    for (size_t i = 0; i < a->size(); ++i) {
      const std::optional<int64_t> rounds = a->get(i)->value<int64_t>();
      if (!rounds || *rounds < 0 || *rounds > 1'000'000)
        t.fail("inject_work", "each entry must be a whole number of rounds, 0 to 1000000");
      spec.injected_work.push_back(static_cast<unsigned>(*rounds));
    }
    if (spec.injected_work.empty()) t.fail("inject_work", "must list at least one count");
  }
  if (t.has("records")) {
    spec.records.clear();
    spec.record_sweep = false;
    const toml::array* a = t.array("records");
    if (!a) t.fail("records", "expected a list of counts, \"default\" or \"sweep\"");
    for (size_t i = 0; i < a->size(); ++i) {
      const toml::node* n = a->get(i);
      if (n->is_integer() && *n->value<int64_t>() > 0) {
        spec.records.push_back(static_cast<uint64_t>(*n->value<int64_t>()));
      } else if (n->value<std::string>() == "default") {
        spec.records.push_back(0);
      } else if (n->value<std::string>() == "sweep") {
        spec.record_sweep = true;
      } else {
        t.fail("records", fmt::format("element {}: expected a positive count, \"default\" or \"sweep\"", i + 1));
      }
    }
  }
  if (t.has("repetitions")) {
    spec.repetitions = static_cast<int>(t.required<int64_t>("repetitions"));
    if (spec.repetitions < 1) t.fail("repetitions", "must be at least 1");
  }
  if (t.has("target_half_width")) {
    spec.target_half_width = t.required<double>("target_half_width");
    if (!(spec.target_half_width > 0 && spec.target_half_width < 1))
      t.fail("target_half_width", "must lie between 0 and 1 (0.03 is +-3%)");
  }
  if (t.has("target_overhead_half_width")) {
    spec.target_overhead_half_width = t.required<double>("target_overhead_half_width");
    if (!(spec.target_overhead_half_width >= 0 && spec.target_overhead_half_width < 1))
      t.fail("target_overhead_half_width",
             "must be 0 (none) or lie below 1 (0.1 is +-10% of the overhead)");
  }
  if (t.has("cell_budget_s")) {
    spec.cell_budget_s = t.required<double>("cell_budget_s");
    if (!(spec.cell_budget_s >= 0)) t.fail("cell_budget_s", "must be 0 or more seconds");
  }
  if (t.has("instrumented_repetitions")) {
    spec.instrumented_repetitions = static_cast<int>(t.required<int64_t>("instrumented_repetitions"));
    if (spec.instrumented_repetitions < 0) t.fail("instrumented_repetitions", "must be 0 or more");
  }
  if (t.has("warmup")) {
    spec.warmup = static_cast<int>(t.required<int64_t>("warmup"));
    if (spec.warmup < 0) t.fail("warmup", "must be 0 or more");
  }
}

MatrixSpec build_spec(const TomlTable& root, const std::string& file,
                      const std::vector<Scenario>& scenarios, bool quick) {
  MatrixSpec spec;
  spec.file = file;
  spec.name = root.required<std::string>("name");
  spec.description = root.optional<std::string>("description", "");
  std::vector<std::string> scenario_names;
  for (const Scenario& s : scenarios) scenario_names.push_back(s.name);
  spec.scenarios = resolve_names(root, "scenarios", scenario_names, "scenario");
  std::vector<std::string> strategy_names;
  for (const StrategyInfo& info : sg::strategies()) strategy_names.push_back(info.name);
  spec.strategies = resolve_names(root, "strategies", strategy_names, "strategy");
  spec.engines = {EngineKind::Sql};
  spec.batch_sizes = {1000};
  spec.partitions = {1};
  spec.queues = {QueueKind::MoodycamelConcurrent};
  spec.streaming_modes = {StreamingMode::Eager};
  spec.phase_timings = {true};
  spec.records = {0};
  apply_dimensions(root, spec);
  // Not a dimension: a matrix is pinned or not as a whole, so its baselines are pinned with it.
  spec.base.pin_threads = root.optional<bool>("pin_threads", false);
  spec.peers = resolve_names(root, "peers", peer_names(), "peer", false);
  auto quick_table = root.table("quick");
  if (quick && quick_table) {
    apply_dimensions(*quick_table, spec);
    spec.quick = true;
  }
  // What apply_dimensions reads, which [quick] may set too; the top level also names the matrix.
  const std::vector<const char*> dimensions = {"engines",
                                               "batch_sizes",
                                               "partitions",
                                               "queues",
                                               "streaming_modes",
                                               "queue_capacities",
                                               "phase_timing",
                                               "records",
                                               "repetitions",
                                               "warmup",
                                               "target_half_width",
                                               "target_overhead_half_width",
                                               "cell_budget_s",
                                               "instrumented_repetitions",
                                               "end_of_stream",
                                               "empty_reads",
                                               "empty_read_sleep_ms",
                                               "sources",
                                               "handoffs",
                                               "inject_work"};
  if (quick_table) quick_table->reject_unknown(dimensions);
  std::vector<const char*> top = {"name",  "description", "scenarios",  "strategies",
                                  "peers", "quick",       "pin_threads"};
  top.insert(top.end(), dimensions.begin(), dimensions.end());
  root.reject_unknown(top);
  return spec;
}

}  // namespace

MatrixSpec parse_matrix(std::string_view text, const std::string& name,
                        const std::vector<Scenario>& scenarios, bool quick) {
  TomlDocument doc = TomlDocument::parse_string(text, name);
  return build_spec(doc.root(), name, scenarios, quick);
}

MatrixSpec load_matrix(const std::filesystem::path& file, const std::vector<Scenario>& scenarios,
                       bool quick) {
  TomlDocument doc = TomlDocument::parse_file(file);
  return build_spec(doc.root(), file.string(), scenarios, quick);
}

// "/src-shared", "/src-materialized"; nothing for lent, so that lent cells keep their ids.
static std::string source_suffix(SourceKind source) {
  return source == SourceKind::Lent ? "" : fmt::format("/src-{}", source_kind_name(source));
}

std::string Cell::id() const {
  std::string id = fmt::format("{}/{}/{}/b{}/p{}/n{}", scenario->name, runner_name,
                               is_peer() ? "batch-sql" : engine_kind_name(config.engine),
                               config.batch_size, config.partitions, records);
  if (names_queue) id += fmt::format("/q{}", queue_kind_name(config.queue));
  if (names_streaming) id += fmt::format("/s{}", streaming_mode_name(config.streaming));
  if (names_capacity) id += fmt::format("/c{}", config.queue_capacity);
  if (!config.phase_timing) id += "/untimed-phases";
  if (config.pin_threads) id += "/pinned";
  if (config.end_by_empty_reads)
    id += fmt::format("/eos-empty{}x{}ms", config.end_by_empty_reads->reads,
                      config.end_by_empty_reads->sleep.count());
  id += source_suffix(config.source);
  if (config.handoff != Handoff::Move) id += fmt::format("/h-{}", handoff_name(config.handoff));
  if (injected_work > 0) id += fmt::format("/w{}", injected_work);
  return id;
}

std::string Cell::baseline_id() const {
  // An untimed-phases cell is compared with direct untimed too, so timing cost cancels out.
  // And on the same source, so that direct pays the same reading.
  return fmt::format("{}/{}/{}/b{}/p1/n{}{}{}{}", scenario->name, baseline_strategy(),
                     engine_kind_name(is_peer() ? EngineKind::Sql : config.engine),
                     config.batch_size, records, config.phase_timing ? "" : "/untimed-phases",
                     config.pin_threads ? "/pinned" : "", source_suffix(config.source));
}

std::vector<std::string> ignored_dimensions(const MatrixSpec& spec, const std::string& strategy) {
  const StrategySettings reads = make_strategy(strategy)->settings();
  const bool more_partitions =
      std::any_of(spec.partitions.begin(), spec.partitions.end(), [](int p) { return p != 1; });
  const std::pair<Setting, bool> varied[] = {
      {Setting::Partitions, more_partitions},
      {Setting::Queue, spec.queues.size() > 1},
      {Setting::QueueCapacity, spec.queue_capacities.size() > 1},
      {Setting::EndOfStream, spec.end_of_stream.size() > 1},
      {Setting::Handoff, spec.handoffs.size() > 1},
      {Setting::StreamingMode, spec.streaming_modes.size() > 1},
  };
  std::vector<std::string> out;
  for (const auto& [setting, varies] : varied)
    if (varies && !reads.reads(setting)) out.push_back(setting_name(setting));
  return out;
}

std::vector<Cell> expand_matrix(const MatrixSpec& spec, const std::vector<Scenario>& scenarios,
                                const std::vector<std::shared_ptr<const CompiledQuery>>& queries) {
  std::vector<Cell> cells;
  auto empty = std::make_shared<const Dataset>();
  for (size_t si = 0; si < scenarios.size(); ++si) {
    const Scenario& sc = scenarios[si];
    if (std::find(spec.scenarios.begin(), spec.scenarios.end(), sc.name) == spec.scenarios.end()) continue;
    std::vector<uint64_t> counts;
    for (uint64_t n : spec.records) counts.push_back(n == 0 ? sc.records : n);
    if (spec.record_sweep) counts.insert(counts.end(), sc.record_counts.begin(), sc.record_counts.end());
    std::sort(counts.begin(), counts.end());
    counts.erase(std::unique(counts.begin(), counts.end()), counts.end());

    JobInputs probe;
    probe.query = queries[si];
    probe.dataset = empty;
    for (uint64_t n : counts) {
      for (const std::string& strategy_name : spec.strategies) {
        std::unique_ptr<Strategy> strategy = make_strategy(strategy_name);
        const StrategySettings reads = strategy->settings();
        // A strategy that ignores partitions runs on one: the baseline's cells are always there.
        const std::vector<int> partition_counts =
            reads.reads(Setting::Partitions) ? spec.partitions : std::vector<int>{1};
        const std::vector<Variant> strategy_variants =
            variants(spec, reads, strategy_name == baseline_strategy());
        for (EngineKind engine : spec.engines) {
          for (size_t batch : spec.batch_sizes) {
            for (int parts : partition_counts) {
              for (const Variant& v : strategy_variants) {
                Cell cell;
                cell.config = spec.base;
                cell.scenario = &sc;
                cell.runner_name = strategy_name;
                cell.records = n;
                cell.config.engine = engine;
                cell.config.batch_size = batch;
                cell.config.partitions = parts;
                cell.config.queue = spec.queues[v.queue];
                cell.config.streaming = spec.streaming_modes[v.mode];
                cell.config.queue_capacity = spec.queue_capacities[v.capacity];
                cell.config.phase_timing = v.phase_timing;
                cell.config.source = spec.sources[v.source];
                cell.injected_work = spec.injected_work[v.work];
                // direct hands nothing over: its cell keeps move, and its id.
                cell.config.handoff =
                    reads.reads(Setting::Handoff) ? spec.handoffs[v.handoff] : Handoff::Move;
                // direct reads no DataReader: its cell keeps the end marker, and its id.
                cell.config.end_by_empty_reads = reads.reads(Setting::EndOfStream)
                                                     ? spec.end_of_stream[v.end_rule]
                                                     : std::nullopt;
                cell.names_queue = reads.reads(Setting::Queue);
                cell.names_streaming = reads.reads(Setting::StreamingMode);
                cell.names_capacity =
                    spec.queue_capacities.size() > 1 && reads.reads(Setting::QueueCapacity);
                cell.skip_reason = strategy->unsupported(cell.config, probe);
                cell.index = cells.size();
                cells.push_back(std::move(cell));
              }
            }
          }
        }
      }
      for (const std::string& peer : spec.peers) {
        Cell cell;
        cell.scenario = &sc;
        cell.runner = RunnerKind::Peer;
        cell.runner_name = peer;
        cell.records = n;
        cell.config.engine = EngineKind::Sql;
        cell.config.batch_size = spec.batch_sizes.front();
        cell.index = cells.size();
        cells.push_back(std::move(cell));
      }
    }
  }
  return cells;
}

}  // namespace sg
