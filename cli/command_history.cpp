// `streamgauge history --scenario S --strategy X`: the trend of a cell across appended runs, with
// step changes flagged the way `compare` judges them.
#include <iostream>
#include <map>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "harness/analysis/history.h"

namespace sg {
namespace {

// The step flagged at each entry, as "slower +12.3% (p = 0.008)".
std::map<size_t, std::string> step_texts(const std::vector<StepChange>& steps) {
  std::map<size_t, std::string> at;
  for (const StepChange& s : steps)
    at[s.index] = fmt::format("{} {:+.1f}% (p = {:.3f})", verdict_name(s.comparison.verdict),
                              (s.comparison.ratio - 1) * 100, s.comparison.test.p_value);
  return at;
}

void print_throughput(const std::vector<HistoryEntry>& entries, std::ostream& out) {
  const std::vector<StepChange> steps = step_changes(entries);
  const std::map<size_t, std::string> step_at = step_texts(steps);
  fmt::print(out, "{:>5} {:<20} {:<14} {:<58} {:>10} {:>6}  {}\n", "run", "date (UTC)", "commit",
             "cell", "Mrec/s", "cv%", "step");
  for (size_t i = 0; i < entries.size(); ++i) {
    const HistoryEntry& e = entries[i];
    const auto step = step_at.find(i);
    fmt::print(out, "{:>5} {:<20} {:<14} {:<58} {:>10} {:>6}  {}\n", e.run_id, e.date_utc, e.commit,
               e.cell_id,
               e.status == "ok" ? fmt::format("{:.3f}", e.median_records_per_s / 1e6) : e.status,
               e.status == "ok" ? fmt::format("{:.1f}", e.cv * 100) : "",
               step == step_at.end() ? "" : step->second);
  }
  fmt::print(out,
             "\n{} entries, {} step change(s): a step is a confirmed change (>= 10% and "
             "Mann-Whitney p < 0.05) from the cell's previous entry.\n",
             entries.size(), steps.size());
}

std::string ms(double ns) {
  return fmt::format("{:.3f}", ns / 1e6);
}

// Latency runs: a line per offered rate, its percentiles over every pass's rows, and the cell's
// closed-loop peak (throughput) beside them; a step is judged on the passes' p99s.
void print_latency(const std::vector<LatencyHistoryEntry>& entries, std::ostream& out) {
  const std::vector<StepChange> steps = step_changes(entries);
  const std::map<size_t, std::string> step_at = step_texts(steps);
  fmt::print(out, "{:>5} {:<20} {:<14} {:<52} {:>9} {:>10} {:>9} {:>9} {:>9}  {}\n", "run",
             "date (UTC)", "commit", "latency cell (offered rate)", "peak Mr/s", "offered/s",
             "p50 ms", "p99 ms", "p99.9 ms", "p99 step");
  for (size_t i = 0; i < entries.size(); ++i) {
    const LatencyHistoryEntry& e = entries[i];
    const auto step = step_at.find(i);
    const bool ok = e.status == "ok";
    fmt::print(out, "{:>5} {:<20} {:<14} {:<52} {:>9.3f} {:>10.0f} {:>9} {:>9} {:>9}  {}\n",
               e.run_id, e.date_utc, e.commit, e.cell_id, e.peak_records_per_s / 1e6,
               e.offered_rate, ok ? ms(e.p50_ns) : e.status, ok ? ms(e.p99_ns) : "",
               ok ? ms(e.p99_9_ns) : "", step == step_at.end() ? "" : step->second);
  }
  fmt::print(out,
             "\n{} latency entries, {} p99 step change(s): each pass's p99 is a sample, judged as "
             "compare judges a latency result (>= 10% and Mann-Whitney p < 0.05; slower = higher "
             "p99).\n",
             entries.size(), steps.size());
}

}  // namespace

void add_history_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("history",
                                 "print the trend of a cell across the runs appended "
                                 "to the history database, flagging step changes");
  auto q = std::make_shared<HistoryQuery>();
  auto db = std::make_shared<std::string>();
  cmd->add_option("--scenario", q->scenario, "scenario name")->required();
  cmd->add_option("--strategy", q->strategy, "strategy (or peer) name")->required();
  cmd->add_option("--engine", q->engine, "sql, passthrough or batch-sql (default: any)");
  cmd->add_option("--batch-size", q->batch_size, "only this batch size");
  cmd->add_option("--partitions", q->partitions, "only this partition count");
  cmd->add_option("--records", q->records,
                  "only this record count (throughput runs: a latency run's follow its rates)");
  cmd->add_option("--limit", q->limit, "newest entries to show")->capture_default_str();
  cmd->add_option("--db", *db,
                  "history database (default $STREAMGAUGE_HISTORY or results/history.sqlite)");
  cmd->footer(
      "Latency runs appended with `streamgauge latency --history` are listed after the "
      "throughput runs: p50/p99/p99.9 per offered rate.");
  cmd->callback([q, db] {
    std::filesystem::path path = db->empty() ? default_history_path() : std::filesystem::path(*db);
    if (!std::filesystem::exists(path)) {
      throw std::runtime_error(path.string() +
                               ": no history yet (run, matrix or latency with --history)");
    }
    History history(path);
    const std::vector<HistoryEntry> entries = history.cells(*q);
    const std::vector<LatencyHistoryEntry> latency = history.latency_cells(*q);
    if (entries.empty() && latency.empty()) {
      fmt::print(std::cout, "no entries for scenario '{}' strategy '{}' in {}\n", q->scenario,
                 q->strategy, path.string());
      return;
    }
    if (!entries.empty()) print_throughput(entries, std::cout);
    if (!entries.empty() && !latency.empty()) fmt::print(std::cout, "\n");
    if (!latency.empty()) print_latency(latency, std::cout);
  });
}

}  // namespace sg
