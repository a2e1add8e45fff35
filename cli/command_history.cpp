// `streamgauge history --scenario S --strategy X`: the trend of a cell across appended runs, with
// step changes flagged the way `compare` judges them.
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.h"
#include "harness/analysis/history.h"

namespace sg {

void add_history_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("history", "print the trend of a cell across the runs appended "
                                            "to the history database, flagging step changes");
  auto q = std::make_shared<HistoryQuery>();
  auto db = std::make_shared<std::string>();
  cmd->add_option("--scenario", q->scenario, "scenario name")->required();
  cmd->add_option("--strategy", q->strategy, "strategy (or peer) name")->required();
  cmd->add_option("--engine", q->engine, "sql, passthrough or batch-sql (default: any)");
  cmd->add_option("--batch-size", q->batch_size, "only this batch size");
  cmd->add_option("--partitions", q->partitions, "only this partition count");
  cmd->add_option("--records", q->records, "only this record count");
  cmd->add_option("--limit", q->limit, "newest entries to show")->capture_default_str();
  cmd->add_option("--db", *db, "history database (default $STREAMGAUGE_HISTORY or results/history.sqlite)");
  cmd->callback([q, db] {
    std::filesystem::path path = db->empty() ? default_history_path() : std::filesystem::path(*db);
    if (!std::filesystem::exists(path)) {
      throw std::runtime_error(path.string() + ": no history yet (run or matrix with --history)");
    }
    History history(path);
    std::vector<HistoryEntry> entries = history.cells(*q);
    if (entries.empty()) {
      fmt::print("no entries for scenario '{}' strategy '{}' in {}\n", q->scenario, q->strategy, path.string());
      return;
    }
    std::vector<StepChange> steps = step_changes(entries);
    std::map<size_t, const StepChange*> step_at;
    for (const StepChange& s : steps) step_at[s.index] = &s;
    fmt::print("{:>5} {:<20} {:<14} {:<58} {:>10} {:>6}  {}\n", "run", "date (UTC)", "commit", "cell",
               "Mrec/s", "cv%", "step");
    for (size_t i = 0; i < entries.size(); ++i) {
      const HistoryEntry& e = entries[i];
      std::string step;
      if (auto it = step_at.find(i); it != step_at.end()) {
        step = fmt::format("{} {:+.1f}% (p = {:.3f})", verdict_name(it->second->comparison.verdict),
                           (it->second->comparison.ratio - 1) * 100, it->second->comparison.test.p_value);
      }
      fmt::print("{:>5} {:<20} {:<14} {:<58} {:>10} {:>6}  {}\n", e.run_id, e.date_utc, e.commit, e.cell_id,
                 e.status == "ok" ? fmt::format("{:.3f}", e.median_records_per_s / 1e6) : e.status,
                 e.status == "ok" ? fmt::format("{:.1f}", e.cv * 100) : "", step);
    }
    fmt::print("\n{} entries, {} step change(s): a step is a confirmed change (>= 10% and Mann-Whitney "
               "p < 0.05) from the cell's previous entry.\n", entries.size(), steps.size());
  });
}

}  // namespace sg
