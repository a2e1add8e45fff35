// `streamgauge matrix FILE` and `streamgauge run`: a matrix of cells, or one cell (plus its direct
// baseline) given on the command line. Both print the table and write JSON + CSV.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "engine/query.h"
#include "harness/analysis/history.h"
#include "harness/job/thread_placement.h"
#include "harness/matrix/interruption.h"
#include "harness/matrix/matrix_runner.h"
#include "harness/matrix/result_output.h"
#include "harness/matrix/result_paths.h"
#include "harness/strategies/strategy.h"
#include "harness/workload/generator.h"

namespace sg {

namespace {

constexpr const char* kPinHelp =
    "pin every thread of a job to one CPU by its role, so that two strategies' SQL work runs "
    "on the same CPU (cells and baselines get /pinned; harness/job/thread_placement.h)";

struct OutputOptions {
  std::string out;  // JSON path; the CSV goes beside it
  bool quiet = false;
  unsigned inject_work = 0;
  bool callgrind = false;
  bool no_line_probe = false;
  std::string history;  // append the result to this SQLite database; empty: do not
  bool force = false;   // replace an existing result
  std::string resume;   // continue from this journal
  // Paired-ratio settings over the matrix file's (negative: keep the file's).
  double cell_budget_s = -1;
  double target_half_width = -1;
  double target_overhead_half_width = -1;
  int instrumented = -1;
};

// The bounds of run's numbers. Each is checked on the text, before conversion, so that "-5"
// cannot wrap around to a huge unsigned count. The records' bound only catches a count that
// saturates the conversion; the memory estimate before generating
// (harness/workload/memory_estimate.h) refuses what cannot fit.
constexpr int64_t kMaxRecords = 1'000'000'000'000'000;
constexpr int64_t kMaxPartitions = 1024;                 // one thread (or more) each
constexpr int64_t kMaxBatchSize = 100'000'000;
constexpr int64_t kMaxQueueCapacity = int64_t{1} << 30;  // slots allocated up front
constexpr int64_t kMaxRepetitions = 1'000'000;
constexpr int64_t kMaxInjectWork = 1'000'000;

CLI::Range in_range(int64_t min, int64_t max) {
  return CLI::Range(min, max, fmt::format("INT in [{} - {}]", min, max));
}

// Flags that run and matrix share.
void add_output_flags(CLI::App* cmd, OutputOptions& o, const std::string& default_name) {
  cmd->add_option("--out", o.out,
                  "result JSON path (CSV and journal beside it); default results/" + default_name +
                      "-DATE-TIME-MS-PID.json; an existing file is refused without --force");
  cmd->add_flag("--force", o.force, "replace an existing result at --out");
  cmd->add_option("--resume", o.resume,
                  "continue an interrupted run of the same matrix from its journal "
                  "(RESULT.journal.jsonl): its finished passes are kept, the rest run");
  cmd->add_flag("--quiet", o.quiet, "no progress lines on stderr");
  cmd->add_option("--inject-work", o.inject_work,
                  "extra work per record in every engine (rounds of an integer mix): a deliberate "
                  "slowdown, to check that `compare` catches it")
      ->check(in_range(0, kMaxInjectWork));
  cmd->add_option("--history", o.history,
                  "append the result to this SQLite history database (e.g. results/history.sqlite)");
  cmd->add_option("--cell-budget", o.cell_budget_s,
                  "seconds of passes a paired cell may spend narrowing its ratio's interval "
                  "(matrix field cell_budget_s; 0: the minimum repetitions only)");
  cmd->add_option("--target-half-width", o.target_half_width,
                  "stop pairing a cell once its ratio's 95% interval is this narrow, as a fraction "
                  "(matrix field target_half_width; default 0.03)");
  cmd->add_option("--target-overhead-half-width", o.target_overhead_half_width,
                  "and once it is this narrow as a fraction of the overhead |ratio - 1| (matrix "
                  "field target_overhead_half_width; default 0: no such target)");
  cmd->add_option("--instrumented", o.instrumented,
                  "passes per cell with phase timing on, for the phase breakdown "
                  "(matrix field instrumented_repetitions)");
  cmd->add_flag("--callgrind-toggle", o.callgrind,
                "toggle callgrind collection around each timed pass (used by scripts/instructions)");
  cmd->add_flag("--no-line-probe", o.no_line_probe,
                "do not probe a cache line's round trip between CPU slots 0 and 1 before each pair "
                "(harness/job/line_round_trip.h; off under --callgrind-toggle)");
}

// The result's paths, settled and test-written before any data is generated
// (harness/matrix/result_paths.h); resuming, the journal names the result it belongs to.
ResultPaths prepare_paths(const MatrixSpec& spec, const OutputOptions& o,
                          const JournalContents* resume) {
  std::filesystem::path json = o.out;
  if (json.empty() && resume) json = resume->header.value("result", "");
  if (json.empty()) json = default_result_path(spec.name);
  ResultPaths paths = result_paths_beside(json);
  if (resume) paths.journal = resume->file;
  const bool own_interrupted = resume && std::filesystem::exists(paths.json) &&
                               is_interrupted_result(paths.json);
  prepare_result_paths(paths, o.force, own_interrupted);
  if (!resume && std::filesystem::exists(paths.journal) && !o.force)
    throw OutputPathError(paths.journal.string() +
                          " exists (an interrupted run's journal?): continue it with --resume " +
                          paths.journal.string() + ", or pass --force to start afresh");
  return paths;
}

int write_and_print(const MatrixResult& result, const OutputOptions& o, const ResultPaths& paths) {
  const std::filesystem::path& json_path = paths.json;
  const std::filesystem::path& csv_path = paths.csv;
  {
    std::ofstream json(json_path);
    // Bytes that are not UTF-8 (a command line, a cell's reason quoting data) become U+FFFD,
    // the rule of every writer (harness/io/utf8.h); strict dump() threw and lost the result.
    json << to_json(result).dump(1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    if (!json) throw std::runtime_error("cannot write " + json_path.string());
  }
  {
    std::ofstream csv(csv_path);
    csv << to_csv(result);
    if (!csv) throw std::runtime_error("cannot write " + csv_path.string());
  }
  if (!o.history.empty() && result.interrupted_by) {
    fmt::print(std::cerr, "[history] not appended: the run was interrupted\n");
  } else if (!o.history.empty()) {
    History history(o.history);
    const int64_t id = history.append(result);
    fmt::print(std::cerr, "[history] appended as run {} to {}\n", id, o.history);
  }
  print_matrix_table(result, std::cout);
  fmt::print("\nresults: {} and {} ({:.1f} s)\n", json_path.string(), csv_path.string(),
             result.elapsed_s);
  if (result.interrupted_by) {
    fmt::print(std::cerr,
               "interrupted ({}): {} of {} cells not run; {} keeps every finished pass: run the "
               "same command with --resume {} to finish\n",
               signal_name(result.interrupted_by), result.count(CellStatus::NotRun),
               result.cells.size(), paths.journal.string(), paths.journal.string());
    return exit_status_for_signal(result.interrupted_by);
  }
  std::error_code ec;
  std::filesystem::remove(paths.journal, ec);  // the result now holds every pass it kept
  if (result.failed()) {
    fmt::print(std::cerr, "error: {} cell(s) failed their result check or run; see above\n",
               result.failed());
    return 1;
  }
  return 0;
}

// A flag the strategy does not read changes nothing; say so rather than drop it silently.
void warn_ignored_flags(const CLI::App& cmd, const Strategy& strategy) {
  const std::pair<const char*, Setting> flags[] = {{"--partitions", Setting::Partitions},
                                                   {"--queue", Setting::Queue},
                                                   {"--queue-capacity", Setting::QueueCapacity},
                                                   {"--routing", Setting::Routing},
                                                   {"--writer", Setting::WriterMode},
                                                   {"--streaming", Setting::StreamingMode},
                                                   {"--lock", Setting::LockKind},
                                                   {"--end-of-stream", Setting::EndOfStream},
                                                   {"--empty-reads", Setting::EndOfStream},
                                                   {"--empty-read-sleep-ms", Setting::EndOfStream}};
  for (const auto& [flag, setting] : flags) {
    if (cmd.count(flag) && !strategy.settings().reads(setting))
      fmt::print(std::cerr, "note: {} ignores {}\n", strategy.name(), flag);
  }
}

// Why a cell of `spec` would be skipped, if one would. A query that does not compile is left
// to run_matrix, which names the scenario file.
std::optional<std::string> skip_reason(const MatrixSpec& spec, const std::vector<Scenario>& one) {
  std::vector<std::shared_ptr<const CompiledQuery>> queries(one.size());
  for (size_t i = 0; i < one.size(); ++i) {
    try {
      queries[i] = CompiledQuery::compile(one[i].sql, Generator(one[i].generator).schema());
    } catch (const SqlError&) {
      return std::nullopt;
    }
  }
  for (const Cell& cell : expand_matrix(spec, one, queries)) {
    if (cell.skip_reason) return cell.skip_reason;
  }
  return std::nullopt;
}

int run_spec(MatrixSpec spec, const std::vector<Scenario>& scenarios, const OutputOptions& o,
             int argc, const char* const* argv) {
  if (o.cell_budget_s >= 0) spec.cell_budget_s = o.cell_budget_s;
  if (o.target_half_width >= 0) {
    if (!(o.target_half_width > 0 && o.target_half_width < 1))
      throw CLI::ValidationError("--target-half-width", "must lie between 0 and 1 (0.03 is +-3%)");
    spec.target_half_width = o.target_half_width;
  }
  if (o.target_overhead_half_width >= 0) {
    if (!(o.target_overhead_half_width < 1))
      throw CLI::ValidationError("--target-overhead-half-width",
                                 "must be 0 (none) or lie below 1 (0.1 is +-10% of the overhead)");
    spec.target_overhead_half_width = o.target_overhead_half_width;
  }
  if (o.instrumented >= 0) spec.instrumented_repetitions = o.instrumented;
  if (spec.base.pin_threads) check_slot_cpus();  // a bad STREAMGAUGE_CPUS stops here, named
  std::optional<JournalContents> resume;
  if (!o.resume.empty()) resume = read_journal(o.resume);
  const ResultPaths paths = prepare_paths(spec, o, resume ? &*resume : nullptr);
  std::unique_ptr<MatrixJournal> journal =
      resume ? MatrixJournal::reopen(*resume) : MatrixJournal::open(paths.journal, false);
  clear_stop_request();
  install_stop_handlers();  // SIGINT, SIGTERM: stop after the pass in progress, keep the rest
  MatrixRunOptions options;
  options.journal = journal.get();
  options.result_path = paths.json.string();
  options.resume = resume ? &*resume : nullptr;
  options.inject_work = o.inject_work;
  options.callgrind_toggle = o.callgrind;
  options.probe_line_round_trip = !o.callgrind && !o.no_line_probe;
  if (!o.quiet) {
    options.progress = &std::cerr;
    options.log = &std::cerr;
  }
  MatrixResult result;
  try {
    result = run_matrix(spec, scenarios, capture_environment(argc, argv), options);
  } catch (...) {
    journal.reset();
    // A journal without a pass (the run failed before its first) would only block the next run.
    try {
      if (!resume && read_journal(paths.journal).passes.empty())
        std::filesystem::remove(paths.journal);
    } catch (const std::exception&) {
      std::error_code ec;
      if (!resume && std::filesystem::file_size(paths.journal, ec) == 0)
        std::filesystem::remove(paths.journal, ec);
    }
    throw;
  }
  return write_and_print(result, o, paths);
}

}  // namespace

void add_matrix_command(CLI::App& app, int argc, const char* const* argv) {
  auto* cmd = app.add_subcommand("matrix",
                                 "run a matrix file: scenarios x strategies x engines x "
                                 "batch sizes x partitions x queues x record counts");
  struct Options {
    std::string file;
    bool quick = false;
    bool pin = false;
    std::string source;
    std::string scenarios;
    OutputOptions out;
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("file", o->file, "matrix file, e.g. scenarios/matrix/quick.toml")->required();
  cmd->add_flag("--quick", o->quick,
                "apply the file's [quick] overrides (fewer records/repetitions)");
  cmd->add_flag("--pin", o->pin, kPinHelp);
  cmd->add_option("--source", o->source,
                  "every cell reads this source instead of the file's `sources`: lent, shared "
                  "or materialized (--source lent shows a matrix's pure pointer-moving cost)");
  cmd->add_option("--scenarios", o->scenarios, "folder of scenario files")
      ->default_str("scenarios/");
  add_output_flags(cmd, o->out, "NAME");
  cmd->callback([o, argc, argv] {
    auto dir = o->scenarios.empty() ? default_scenario_dir() : std::filesystem::path(o->scenarios);
    std::vector<Scenario> scenarios = load_scenarios(dir);
    MatrixSpec spec = load_matrix(o->file, scenarios, o->quick);
    if (o->pin) spec.base.pin_threads = true;
    if (!o->source.empty()) {
      auto source = parse_source_kind(o->source);
      if (!source)
        throw CLI::ValidationError("--source", fmt::format("unknown source '{}'; known: {}",
                                                          o->source, source_kind_names()));
      spec.sources = {*source};
    }
    throw CommandExit{run_spec(spec, scenarios, o->out, argc, argv)};
  });
}

void add_run_command(CLI::App& app, int argc, const char* const* argv) {
  auto* cmd = app.add_subcommand("run",
                                 "run one cell (one scenario, one strategy), with direct "
                                 "beside it as the baseline");
  struct Options {
    std::string scenario, strategy = "direct", engine = "sql", queue = "moodycamel";
    std::string lock = "mutex", routing = "hash", writer_mode = "shared", streaming = "eager";
    std::string end_of_stream = "marker";
    std::string source = "lent", handoff = "move";
    int empty_reads = EmptyReadsEnd{}.reads, empty_read_sleep_ms = 100;
    uint64_t records = 0;
    size_t batch_size = 1000, queue_capacity = JobConfig{}.queue_capacity;
    int partitions = 1, repetitions = 5, warmup = 1;
    bool no_baseline = false, no_phase_timing = false, pin = false;
    std::string scenarios;
    OutputOptions out;
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("--scenario", o->scenario, "scenario name (streamgauge list)")->required();
  cmd->add_option("--strategy", o->strategy, "strategy name")->capture_default_str();
  cmd->add_option("--engine", o->engine, "sql or passthrough")->capture_default_str();
  cmd->add_option("--records", o->records, "records (default: the scenario's)")
      ->check(in_range(1, kMaxRecords));
  cmd->add_option("--batch-size", o->batch_size, "records per batch")
      ->capture_default_str()
      ->check(in_range(1, kMaxBatchSize));
  auto read_by = [](const char* what, Setting s) {
    return fmt::format("{} (read by {})", what, strategies_reading(s));
  };
  cmd->add_option("--partitions", o->partitions, read_by("partitions", Setting::Partitions))
      ->capture_default_str()
      ->check(in_range(1, kMaxPartitions));
  cmd->add_option("--queue", o->queue, read_by("queue kind", Setting::Queue))
      ->capture_default_str();
  cmd->add_option("--queue-capacity", o->queue_capacity,
                  read_by("records per partition queue or channel", Setting::QueueCapacity))
      ->capture_default_str()
      ->check(in_range(1, kMaxQueueCapacity));
  cmd->add_option("--lock", o->lock, read_by("mutex or rwlock", Setting::LockKind))
      ->capture_default_str();
  cmd->add_option("--routing", o->routing, read_by("hash, round_robin or sticky", Setting::Routing))
      ->capture_default_str();
  cmd->add_option("--writer", o->writer_mode,
                  read_by("shared or per_partition", Setting::WriterMode))
      ->capture_default_str();
  cmd->add_option(
         "--streaming", o->streaming,
         read_by("eager, lazy, spawnless or pooled, as harness/strategies/result_stream.h says",
                 Setting::StreamingMode))
      ->capture_default_str();
  cmd->add_option("--end-of-stream", o->end_of_stream,
                  read_by("marker (the reader says so) or empty-reads (seed 002's reader: "
                          "--empty-reads empty reads, --empty-read-sleep-ms apart)",
                          Setting::EndOfStream))
      ->capture_default_str();
  cmd->add_option("--empty-reads", o->empty_reads,
                  "with --end-of-stream empty-reads: consecutive empty reads that end the stream")
      ->capture_default_str()
      ->check(in_range(1, 1000));
  cmd->add_option("--empty-read-sleep-ms", o->empty_read_sleep_ms,
                  "with --end-of-stream empty-reads: sleep after each empty read but the last")
      ->capture_default_str()
      ->check(in_range(0, 60'000));
  cmd->add_option("--source", o->source,
                  "where passes read records from (direct beside it too): lent (the dataset's "
                  "records, no counts touched), shared (the same, one count each) or "
                  "materialized (decoded from an encoded log by the reading thread)")
      ->capture_default_str();
  cmd->add_option("--handoff", o->handoff,
                  read_by("how a record crosses threads: move (its one owner passes it on), share "
                          "(a new reference) or deep-copy (a fresh copy)",
                          Setting::Handoff))
      ->capture_default_str();
  cmd->add_option("--repetitions", o->repetitions, "timed repetitions")
      ->capture_default_str()
      ->check(in_range(1, kMaxRepetitions));
  cmd->add_option("--warmup", o->warmup, "warm-up passes (checked, not timed)")
      ->capture_default_str()
      ->check(in_range(0, kMaxRepetitions));
  cmd->add_flag("--no-baseline", o->no_baseline, "do not run direct beside the cell");
  cmd->add_flag("--no-phase-timing", o->no_phase_timing,
                "do not time phases (measures their cost)");
  cmd->add_flag("--pin", o->pin, kPinHelp);
  cmd->add_option("--scenarios", o->scenarios, "folder of scenario files")
      ->default_str("scenarios/");
  add_output_flags(cmd, o->out, "run");
  cmd->callback([cmd, o, argc, argv] {
    auto dir = o->scenarios.empty() ? default_scenario_dir() : std::filesystem::path(o->scenarios);
    std::vector<Scenario> scenarios = load_scenarios(dir);
    MatrixSpec spec;
    spec.name = "run";
    auto found = std::find_if(scenarios.begin(), scenarios.end(),
                              [&](const Scenario& s) { return s.name == o->scenario; });
    if (found == scenarios.end()) {
      std::string names;
      for (const Scenario& s : scenarios) names += (names.empty() ? "" : ", ") + s.name;
      throw CLI::ValidationError("--scenario",
                                 "unknown scenario '" + o->scenario + "'; known: " + names);
    }
    std::unique_ptr<Strategy> strategy = make_strategy(o->strategy);
    if (!strategy) {
      throw CLI::ValidationError(
          "--strategy", "unknown strategy '" + o->strategy + "'; known: " + strategy_names());
    }
    warn_ignored_flags(*cmd, *strategy);
    auto bad = [](const char* flag, const std::string& value, const char* known) {
      return CLI::ValidationError(flag, "unknown value '" + value + "'; known: " + known);
    };
    auto engine = parse_engine_kind(o->engine);
    if (!engine) throw bad("--engine", o->engine, "sql, passthrough");
    auto queue = parse_queue_kind(o->queue);
    if (!queue) throw bad("--queue", o->queue, "see streamgauge list");
    auto lock = parse_lock_kind(o->lock);
    if (!lock) throw bad("--lock", o->lock, "mutex, rwlock");
    auto routing = parse_routing(o->routing);
    if (!routing) throw bad("--routing", o->routing, "hash, round_robin, sticky");
    auto writer = parse_writer_mode(o->writer_mode);
    if (!writer) throw bad("--writer", o->writer_mode, "shared, per_partition");
    auto streaming = parse_streaming_mode(o->streaming);
    if (!streaming) throw bad("--streaming", o->streaming, streaming_mode_names().c_str());
    if (o->end_of_stream != "marker" && o->end_of_stream != "empty-reads")
      throw bad("--end-of-stream", o->end_of_stream, "marker, empty-reads");
    if (o->end_of_stream == "marker" && (cmd->count("--empty-reads") ||
                                         cmd->count("--empty-read-sleep-ms")))
      throw CLI::ValidationError("--empty-reads", "needs --end-of-stream empty-reads");
    auto source = parse_source_kind(o->source);
    if (!source) throw bad("--source", o->source, source_kind_names().c_str());
    spec.sources = {*source};
    auto handoff = parse_handoff(o->handoff);
    if (!handoff) throw bad("--handoff", o->handoff, handoff_names().c_str());
    if (*handoff != Handoff::Move && !strategy->settings().reads(Setting::Handoff))
      throw CLI::ValidationError(
          "--handoff", fmt::format("{} has no reader-to-worker hand-off "
                                   "(--handoff is read by {})",
                                   strategy->name(), strategies_reading(Setting::Handoff)));
    spec.handoffs = {*handoff};
    spec.scenarios = {o->scenario};
    spec.strategies = {o->strategy};
    if (!o->no_baseline && o->strategy != baseline_strategy())
      spec.strategies.insert(spec.strategies.begin(), baseline_strategy());
    spec.engines = {*engine};
    spec.batch_sizes = {o->batch_size};
    spec.partitions = {o->partitions};
    spec.queues = {*queue};
    spec.records = {o->records};
    spec.repetitions = o->repetitions;
    spec.warmup = o->warmup;
    spec.queue_capacities = {o->queue_capacity};
    spec.base.lock = *lock;
    spec.base.routing = *routing;
    spec.base.writer_mode = *writer;
    spec.base.pin_threads = o->pin;
    if (o->end_of_stream == "empty-reads")
      spec.end_of_stream = {
          EmptyReadsEnd{o->empty_reads, std::chrono::milliseconds(o->empty_read_sleep_ms)}};
    spec.streaming_modes = {*streaming};
    spec.phase_timings = {!o->no_phase_timing};
    std::vector<Scenario> one = {*found};
    spec.scenarios = {found->name};
    // run has one cell to measure: one its strategy would skip is an error, not an empty result.
    if (auto why = skip_reason(spec, one)) throw CLI::ValidationError("run", *why);
    throw CommandExit{run_spec(spec, one, o->out, argc, argv)};
  });
}

}  // namespace sg
