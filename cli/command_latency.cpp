// `streamgauge latency`: one scenario x strategy at offered rates (absolute or a share of the
// cell's measured peak), per-row latency percentiles per rate, and the sustainable throughput.
// The work is harness/latency/latency_sweep.h; this file reads flags, prints and writes JSON.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "harness/analysis/history.h"
#include "harness/job/thread_placement.h"
#include "harness/latency/latency_matrix.h"
#include "harness/latency/latency_sweep.h"
#include "harness/matrix/environment.h"

namespace sg {
namespace {

// One or more sweeps in "cells"; `compare` judges each rate's p99 over the passes.
constexpr const char* kLatencyFormat = "streamgauge-latency/1";

std::string format_ns(uint64_t ns) {
  const auto v = static_cast<double>(ns);
  if (ns < 1'000) return fmt::format("{}ns", ns);
  if (ns < 1'000'000) return fmt::format("{:.1f}us", v / 1e3);
  if (ns < 1'000'000'000) return fmt::format("{:.2f}ms", v / 1e6);
  return fmt::format("{:.2f}s", v / 1e9);
}

std::string format_rate(double r) {
  if (r >= 1e6) return fmt::format("{:.3f}M", r / 1e6);
  if (r >= 1e3) return fmt::format("{:.1f}k", r / 1e3);
  return fmt::format("{:.0f}", r);
}

void print_sweep(const Scenario& scenario, const LatencySweepSpec& spec,
                 const LatencySweepResult& r, const Environment& env, std::ostream& out) {
  fmt::print(out,
             "latency: {} x {} ({} engine, batch {}, partitions {}, linger {} us), {} arrivals\n",
             scenario.name, spec.strategy, engine_kind_name(spec.config.engine),
             spec.config.batch_size, spec.config.partitions,
             static_cast<double>(spec.linger_ns) / 1e3, arrival_name(spec.arrival));
  fmt::print(out,
             "method: peak = median of {} closed-loop passes of {} records after 1 warm-up; each "
             "rate: {} open-loop passes of rate x {} s records ({}..{}), latency of every output "
             "row from its input's intended release, merged over the passes; every pass's output "
             "checked against direct's\n",
             spec.peak_repetitions, r.peak_records, spec.repetitions, spec.duration_s,
             spec.min_records, spec.max_records);
  fmt::print(out,
             "backlog: most records overdue at one release; lag p99: how late the source released "
             "(its pacing accuracy); p50..max: latency per output row\n");
  fmt::print(out, "machine: {}\n", one_line(env));
  fmt::print(out, "peak throughput: {} records/s (passes:", format_rate(r.peak_rate));
  for (double s : r.peak_samples) fmt::print(out, " {}", format_rate(s));
  fmt::print(out, ")\n\n");
  fmt::print(out, "{:<8} {:>10} {:>10} {:>9} {:>8} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}\n",
             "rate", "offered/s", "achieved/s", "records", "backlog", "lag p99", "p50", "p90",
             "p99", "p99.9", "p99.99", "max");
  for (const RatePoint& p : r.points) {
    fmt::print(out, "{:<8} {:>10} {:>10} {:>9} {:>8} {:>9}", p.spec.text,
               format_rate(p.offered_rate), format_rate(p.achieved_rate), p.records, p.max_backlog,
               format_ns(p.release_lag.percentile(99)));
    if (!p.ok) {
      fmt::print(out, "  FAILED: {}\n", p.error);
      continue;
    }
    for (const ReportedPercentile& q : reported_percentiles())
      fmt::print(out, " {:>9}", format_ns(p.latency.percentile(q.q)));
    fmt::print(out, " {:>9}\n", format_ns(p.latency.max()));
  }
  if (r.sustainable_rate) {
    fmt::print(out,
               "\nsustainable throughput (p99 <= {} ms): {} records/s ({:.0f}% of peak), the "
               "highest rate tried that kept it\n",
               spec.p99_bound_ms, format_rate(*r.sustainable_rate),
               100.0 * *r.sustainable_rate / r.peak_rate);
  } else {
    fmt::print(out, "\nsustainable throughput (p99 <= {} ms): none of the rates tried\n",
               spec.p99_bound_ms);
  }
}

std::filesystem::path write_json(const nlohmann::json& j, const std::string& out) {
  std::filesystem::path path = out.empty() ? std::filesystem::path("results") /
                                                 fmt::format("latency-{:%Y%m%d-%H%M%S}.json",
                                                             fmt::localtime(std::time(nullptr)))
                                           : std::filesystem::path(out);
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::ofstream file(path);
  file << j.dump(1) << '\n';
  if (!file) throw std::runtime_error("cannot write " + path.string());
  return path;
}

// Appends the result to the history database at `path` (nothing when empty).
void append_history(const nlohmann::json& result, const std::string& path) {
  if (path.empty()) return;
  History history(path);
  const int64_t id = history.append_latency(result);
  fmt::print(std::cerr, "[history] appended as run {} to {}\n", id, path);
}

// Every cell of a latency matrix, one table each, and one JSON with them all.
int run_matrix_file(const LatencyMatrix& m, bool quick, const std::string& out,
                    const std::string& history, bool quiet, int argc, const char* const* argv) {
  const Environment env = capture_environment(argc, argv);
  nlohmann::json j;
  j["format"] = kLatencyFormat;
  j["name"] = m.name;
  j["description"] = m.description;
  j["quick"] = quick;
  j["environment"] = to_json(env);
  j["cells"] = nlohmann::json::array();
  bool ok = true;
  for (const LatencyCell& cell : m.cells) {
    if (cell.spec.config.pin_threads) check_slot_cpus();
    const LatencySweepResult r =
        run_latency_sweep(*cell.scenario, cell.spec, quiet ? nullptr : &std::cerr);
    print_sweep(*cell.scenario, cell.spec, r, env, std::cout);
    fmt::print("\n");
    nlohmann::json c = r.to_json(cell.spec);
    c["scenario"] = cell.scenario->name;
    j["cells"].push_back(std::move(c));
    ok = ok && r.ok();
  }
  fmt::print("results: {}\n", write_json(j, out).string());
  append_history(j, history);
  if (!ok)
    fmt::print(std::cerr, "error: a latency pass failed or its output differed from direct's\n");
  return ok ? 0 : 1;
}

}  // namespace

void add_latency_command(CLI::App& app, int argc, const char* const* argv) {
  auto* cmd = app.add_subcommand(
      "latency",
      "one scenario x strategy at offered rates: per-row latency percentiles (open-loop source, "
      "from each record's intended release time) and the sustainable throughput");
  struct Options {
    std::string scenario, strategy = "direct", engine = "sql", queue = "moodycamel";
    std::string lock = "mutex", routing = "hash", writer_mode = "shared";
    std::string rates = "10%,50%,90%,100%,120%", arrival = "constant";
    size_t batch_size = 1000, queue_capacity = JobConfig{}.queue_capacity;
    int partitions = 1;
    double linger_us = 0;
    LatencySweepSpec sweep;
    bool pin = false, quiet = false, quick = false;
    std::string scenarios, out, matrix, history;
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("--scenario", o->scenario, "scenario name (streamgauge list)");
  cmd->add_option("--matrix", o->matrix,
                  "a latency matrix file (scenarios/matrix/latency.toml) instead of one cell");
  cmd->add_flag("--quick", o->quick, "with --matrix: apply the file's [quick] sizes");
  cmd->add_option("--strategy", o->strategy, "strategy name")->capture_default_str();
  cmd->add_option("--engine", o->engine, "sql or passthrough")->capture_default_str();
  cmd->add_option("--batch-size", o->batch_size, "records per batch (at most)")
      ->capture_default_str();
  cmd->add_option("--partitions", o->partitions, "partitions")->capture_default_str();
  cmd->add_option("--queue", o->queue, "queue kind")->capture_default_str();
  cmd->add_option("--queue-capacity", o->queue_capacity, "records per partition queue")
      ->capture_default_str();
  cmd->add_option("--lock", o->lock, "mutex or rwlock")->capture_default_str();
  cmd->add_option("--routing", o->routing, "hash, round_robin or sticky")->capture_default_str();
  cmd->add_option("--writer", o->writer_mode, "shared or per_partition")->capture_default_str();
  cmd->add_option("--rates", o->rates,
                  "offered rates: records/s (200000, 200k, 1.5M) or shares of the measured peak "
                  "(50%)")
      ->capture_default_str();
  cmd->add_option("--arrival", o->arrival, "constant or poisson spacing")->capture_default_str();
  cmd->add_option(
         "--linger-us", o->linger_us,
         "a read waits up to this long for a full batch (0: it takes what is due; why 0 is "
         "the default: docs/design-notes.md#linger-default)")
      ->capture_default_str();
  cmd->add_option("--repetitions", o->sweep.repetitions, "open-loop passes per rate")
      ->capture_default_str();
  cmd->add_option("--duration", o->sweep.duration_s, "seconds per pass (records = rate x this)")
      ->capture_default_str();
  cmd->add_option("--max-records", o->sweep.max_records, "records per pass at most")
      ->capture_default_str();
  cmd->add_option("--peak-records", o->sweep.peak_records,
                  "records of the peak passes (default: the scenario's)");
  cmd->add_option("--peak-repetitions", o->sweep.peak_repetitions, "closed-loop peak passes")
      ->capture_default_str();
  cmd->add_option("--p99-bound-ms", o->sweep.p99_bound_ms,
                  "the sustainable throughput keeps p99 under this")
      ->capture_default_str();
  cmd->add_flag("--pin", o->pin, "pin threads by role (as run --pin)");
  cmd->add_flag("--quiet", o->quiet, "no progress lines on stderr");
  cmd->add_option("--scenarios", o->scenarios, "folder of scenario files")
      ->default_str("scenarios/");
  cmd->add_option("--out", o->out, "result JSON path; default results/latency-DATE.json");
  cmd->add_option("--history", o->history,
                  "append the result to this SQLite history database (e.g. "
                  "results/history.sqlite): p50/p99/p99.9 per rate for streamgauge history");
  cmd->callback([o, argc, argv] {
    auto dir = o->scenarios.empty() ? default_scenario_dir() : std::filesystem::path(o->scenarios);
    const std::vector<Scenario> scenarios = load_scenarios(dir);
    if (!o->matrix.empty()) {
      const LatencyMatrix m = load_latency_matrix(o->matrix, scenarios, o->quick);
      throw CommandExit{run_matrix_file(m, o->quick, o->out, o->history, o->quiet, argc, argv)};
    }
    if (o->scenario.empty())
      throw CLI::ValidationError("--scenario", "a scenario (or --matrix FILE) is required");
    auto found = std::find_if(scenarios.begin(), scenarios.end(),
                              [&](const Scenario& s) { return s.name == o->scenario; });
    if (found == scenarios.end())
      throw CLI::ValidationError("--scenario", "unknown scenario '" + o->scenario + "'");
    if (!make_strategy(o->strategy))
      throw CLI::ValidationError(
          "--strategy", "unknown strategy '" + o->strategy + "'; known: " + strategy_names());
    auto bad = [](const char* flag, const std::string& value) {
      return CLI::ValidationError(flag, "unknown value '" + value + "'");
    };
    LatencySweepSpec spec = o->sweep;
    spec.strategy = o->strategy;
    auto engine = parse_engine_kind(o->engine);
    auto queue = parse_queue_kind(o->queue);
    auto lock = parse_lock_kind(o->lock);
    auto routing = parse_routing(o->routing);
    auto writer = parse_writer_mode(o->writer_mode);
    auto arrival = parse_arrival(o->arrival);
    if (!engine) throw bad("--engine", o->engine);
    if (!queue) throw bad("--queue", o->queue);
    if (!lock) throw bad("--lock", o->lock);
    if (!routing) throw bad("--routing", o->routing);
    if (!writer) throw bad("--writer", o->writer_mode);
    if (!arrival) throw bad("--arrival", o->arrival);
    if (spec.repetitions < 1 || spec.peak_repetitions < 1)
      throw CLI::ValidationError("--repetitions", "must be at least 1");
    if (!(spec.duration_s > 0)) throw CLI::ValidationError("--duration", "must be positive");
    try {
      spec.rates = parse_rates(o->rates);
    } catch (const std::invalid_argument& e) {
      throw CLI::ValidationError("--rates", e.what());
    }
    spec.arrival = *arrival;
    if (o->linger_us < 0) throw CLI::ValidationError("--linger-us", "must be 0 or more");
    spec.linger_ns = static_cast<int64_t>(o->linger_us * 1e3);
    spec.config.engine = *engine;
    spec.config.batch_size = o->batch_size;
    spec.config.partitions = o->partitions;
    spec.config.queue = *queue;
    spec.config.queue_capacity = o->queue_capacity;
    spec.config.lock = *lock;
    spec.config.routing = *routing;
    spec.config.writer_mode = *writer;
    spec.config.pin_threads = o->pin;
    if (o->pin) check_slot_cpus();
    const Environment env = capture_environment(argc, argv);
    const LatencySweepResult result =
        run_latency_sweep(*found, spec, o->quiet ? nullptr : &std::cerr);

    nlohmann::json cell = result.to_json(spec);
    cell["scenario"] = found->name;
    nlohmann::json j;
    j["format"] = kLatencyFormat;
    j["environment"] = to_json(env);
    j["cells"] = nlohmann::json::array({std::move(cell)});
    const std::filesystem::path path = write_json(j, o->out);
    print_sweep(*found, spec, result, env, std::cout);
    fmt::print("results: {}\n", path.string());
    append_history(j, o->history);
    if (!result.ok()) {
      fmt::print(std::cerr, "error: a latency pass failed or its output differed from direct's\n");
      throw CommandExit{1};
    }
  });
}

}  // namespace sg
