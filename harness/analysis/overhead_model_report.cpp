// How an Explanation is shown: the JSON that scripts read ("streamgauge-explain/1") and the
// terminal table, one per scenario, with the method and the component table above it.
#include <algorithm>
#include <map>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "harness/analysis/overhead_model.h"

namespace sg {

const char* overhead_model_method() {
  return "Measured overhead per record is (median wall ns of the cell - median wall ns of its "
         "direct baseline cell) / records. Predicted overhead per record is the sum over "
         "components of count_per_record x unit_cost_ns: counts are the run's own counters "
         "(median over its samples: locks taken, records read, batches, queue items and waits, "
         "threads started, voluntary context switches) beyond what direct does, and unit costs "
         "are medians of the microbench repetitions in wall-clock ns per item, as the matrix "
         "measures wall time ('A - B' is a difference of two benchmarks; with phase timing off "
         "there are no clock reads). Only the critical path counts: partitions that run side "
         "by side carry 1/min(partitions, cores) of the counts each, and the baseline work that "
         "parallelism takes off the path is a negative component (overlapped_base_work); for a "
         "reader/worker or producer/consumer pair, both paths are computed and the longer one's "
         "components are kept. Unexplained = measured - predicted, never clamped: negative means "
         "over-predicted.";
}

void print_component_table(std::ostream& out) {
  // The same names the model uses; the benchmarks depend on the cell (lock kind, queue, sizes).
  fmt::print(out, "{:<22} {}\n", "component", "unit cost from");
  const std::vector<std::pair<const char*, const char*>> rows = {
      {"locks", "lock/<mutex|shared_mutex>/<uncontended|contended> x locks_taken"},
      {"clock_reads", "batch/clock_read x phase boundaries beyond direct's"},
      {"record_copies", "copy/record/share x records_read"},
      {"batches", "batch/job_loop/1 - batch/direct_loop/1 - copy/record/share x batches"},
      {"engine_calls", "batch/engine_calls/per_record - batched x (records - batches)"},
      {"queue_push/pop", "0.5 x queue/<kind>/bulk/<nearest 1|16|256> x items pushed / popped"},
      {"handoffs", "0.5 x thread/ping_pong/atomic_wait x blocking waits"},
      {"threads", "thread/start_join x threads started"},
      {"stream_startup", "startup/whole/<mode>/records:1 x 1"},
      {"channel", "raw/mutex-deque/push_pop x output batches, per side"},
      {"pause_checks", "lock/mutex_lock_unlock/uncontended x chunks (eager)"},
      {"fresh_batches", "batch/output_vector/fresh/<B> - reuse/<B> x output batches"},
      {"overlapped_base_work", "-(baseline work moved off the critical path)"},
  };
  for (const auto& [name, from] : rows) fmt::print(out, "{:<22} {}\n", name, from);
}

nlohmann::json Explanation::to_json() const {
  nlohmann::json rows_json = nlohmann::json::array();
  for (const ExplainRow& r : rows) {
    nlohmann::json components = nlohmann::json::array();
    for (const ComponentEstimate& e : r.components) {
      components.push_back({{"name", e.name},
                            {"count_per_record", e.count_per_record},
                            {"unit_cost_ns", e.unit_cost_ns},
                            {"benchmark", e.benchmark},
                            {"predicted_ns_per_record", e.predicted_ns_per_record}});
    }
    rows_json.push_back({{"cell", r.cell},
                         {"scenario", r.scenario},
                         {"strategy", r.strategy},
                         {"engine", r.engine},
                         {"batch_size", r.batch_size},
                         {"partitions", r.partitions},
                         {"records", r.records},
                         {"measured_ns_per_record", r.measured_ns_per_record},
                         {"components", components},
                         {"predicted_ns_per_record", r.predicted_ns_per_record},
                         {"unexplained_ns_per_record", r.unexplained_ns_per_record},
                         {"explained_pct", r.explained_pct ? nlohmann::json(*r.explained_pct)
                                                           : nlohmann::json(nullptr)}});
  }
  return {{"format", "streamgauge-explain/1"},
          {"method", overhead_model_method()},
          {"matrix", matrix},
          {"microbench", microbench},
          {"rows", rows_json}};
}

namespace {

// Columns in a stable order; a component a scenario never uses gets no column.
const std::vector<std::pair<std::string, std::string>>& column_names() {
  static const std::vector<std::pair<std::string, std::string>> names = {
      {"locks", "lock"},          {"clock_reads", "clock"},
      {"record_copies", "copy"},  {"batches", "batch"},
      {"engine_calls", "ecall"},  {"queue_push", "push"},
      {"queue_pop", "pop"},       {"handoffs", "wake"},
      {"threads", "thrd"},        {"stream_startup", "start"},
      {"channel", "chan"},        {"pause_checks", "pause"},
      {"fresh_batches", "fresh"}, {"overlapped_base_work", "overlap"}};
  return names;
}

std::string strategy_label(const ExplainRow& r) {
  std::string label = r.streaming_mode.empty() ? r.strategy : r.strategy + "/" + r.streaming_mode;
  if (!r.phase_timing) label += " -t";  // phase timing off (the legend says so)
  return label;
}

void print_scenario(std::ostream& out, const std::string& scenario,
                    const std::vector<const ExplainRow*>& rows) {
  std::vector<std::pair<std::string, std::string>> columns;
  for (const auto& column : column_names()) {
    for (const ExplainRow* r : rows) {
      if (std::any_of(r->components.begin(), r->components.end(),
                      [&](const ComponentEstimate& e) { return e.name == column.first; })) {
        columns.push_back(column);
        break;
      }
    }
  }
  fmt::print(out, "\n== {} (ns per record; -t: phase timing off)\n", scenario);
  std::string header = fmt::format("{:<20} {:<11} {:>6} {:>2} {:>9}", "strategy", "engine", "batch",
                                   "p", "measured");
  for (const auto& column : columns) header += fmt::format(" {:>7}", column.second);
  header += fmt::format(" {:>9} {:>11} {:>9}", "predicted", "unexplained", "explained");
  fmt::print(out, "{}\n", header);
  for (const ExplainRow* r : rows) {
    std::string line =
        fmt::format("{:<20} {:<11} {:>6} {:>2} {:>9.1f}", strategy_label(*r), r->engine,
                    r->batch_size, r->partitions, r->measured_ns_per_record);
    for (const auto& column : columns) {
      double sum = 0;
      bool present = false;
      for (const ComponentEstimate& e : r->components) {
        if (e.name != column.first) continue;
        sum += e.predicted_ns_per_record;
        present = true;
      }
      line += present ? fmt::format(" {:>7.1f}", sum) : fmt::format(" {:>7}", "-");
    }
    line += fmt::format(" {:>9.1f} {:>11.1f}", r->predicted_ns_per_record,
                        r->unexplained_ns_per_record);
    line += r->explained_pct ? fmt::format(" {:>8.0f}%", *r->explained_pct)
                             : fmt::format(" {:>9}", "n/a");
    if (r->unexplained_ns_per_record < 0) line += "  over-predicted";
    fmt::print(out, "{}\n", line);
  }
  bool any_path = false;
  for (const ExplainRow* r : rows) {
    if (r->critical_path.empty()) continue;
    if (!any_path) fmt::print(out, "critical paths:\n");
    any_path = true;
    fmt::print(out, "  {} {} b{} p{}: {}\n", strategy_label(*r), r->engine, r->batch_size,
               r->partitions, r->critical_path);
  }
}

}  // namespace

void Explanation::print(std::ostream& out) const {
  fmt::print(out, "matrix:     {}\nmicrobench: {}\n\nmethod: {}\n\n", matrix, microbench,
             overhead_model_method());
  print_component_table(out);
  std::vector<std::string> scenarios;
  std::map<std::string, std::vector<const ExplainRow*>> by_scenario;
  for (const ExplainRow& r : rows) {
    if (!by_scenario.count(r.scenario)) scenarios.push_back(r.scenario);
    by_scenario[r.scenario].push_back(&r);
  }
  for (const std::string& s : scenarios) print_scenario(out, s, by_scenario[s]);
  if (!not_explained.empty()) {
    fmt::print(out, "\nnot explained ({} cells):\n", not_explained.size());
    for (const std::string& why : not_explained) fmt::print(out, "  {}\n", why);
  }
}

}  // namespace sg
