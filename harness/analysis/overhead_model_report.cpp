// How an Explanation is shown: the JSON that scripts read ("streamgauge-explain/3") and the
// terminal table, one per scenario, with the method and the component table above it.
#include <algorithm>
#include <map>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "harness/analysis/overhead_model.h"

namespace sg {

const char* overhead_model_method() {
  return "Measured overhead per record is (ratio - 1) x the baseline's median wall ns / records, "
         "where ratio is the median of the cell's passes paired back to back with its direct "
         "baseline, with its sign-test 95% interval (results without pairs: the difference of "
         "the two cells' median walls, no interval). A cell whose interval contains 0 is within "
         "noise, and so is a cell whose overhead is no further from 0, as a share of direct's "
         "time, than the A/A pairs of its kind read from 1 in separate processes, where the run "
         "measured them (direct's loop on a thread of its own against direct, for cells that run "
         "threads of their own; on the calling thread with one lock a batch more, for cells that "
         "run on the calling thread alone): it is listed with its +-ns and stays out of the "
         "strategy's explained share, "
         "which is the sum of predicted over the sum of measured overhead of the cells above "
         "noise, by magnitude: a cell faster than direct adds its saving to the measured sum and "
         "its prediction, sign flipped, to the predicted one. Unit costs never go below 0: a "
         "negative benchmark difference is priced at 0 and "
         "named as a problem. Predicted overhead per record is the sum over "
         "components of count_per_record x unit_cost_ns: counts are the run's own counters "
         "(median over its samples: locks taken, records read, batches, queue items and waits, "
         "threads started, voluntary context switches) beyond what direct does, and unit costs "
         "are medians of the microbench repetitions in wall-clock ns per item, as the matrix "
         "measures wall time ('A - B' is a difference of two benchmarks; with phase timing off "
         "there are no clock reads). Only the critical path counts: partitions that run side "
         "by side carry 1/min(partitions, cores) of the counts each, and the baseline work that "
         "parallelism takes off the path is a negative component (overlapped_base_work), "
         "direct's time split between the paths by its phases' shares of its instrumented "
         "passes; for a "
         "reader/worker or producer/consumer pair, both paths are computed and the longer one's "
         "components are kept. Unexplained = measured - predicted, never clamped: negative means "
         "over-predicted. Where the matrix probed a cache line's round trip between CPU slots 0 "
         "and 1 before each pair, the pairs probed outside 1/1.5-1.5x of the probes' median are "
         "left out of the measured overhead, and the repetitions of the probed microbenches "
         "outside the same band (by their probes before and after the timed loop, where both "
         "were taken) out of the unit costs: one cross-core regime, on both sides. A difference of "
         "two benchmarks whose probed side was read in the regime both before and after the "
         "matrices, and its other side in both readings too, is taken within each reading and "
         "the two averaged: both sides from the same minutes.";
}

void print_component_table(std::ostream& out) {
  // The same names the model uses; the benchmarks depend on the cell (lock kind, queue, sizes).
  fmt::print(out, "{:<22} {}\n", "component", "unit cost from");
  const std::vector<std::pair<const char*, const char*>> rows = {
      {"locks",
       "lock/<mutex|shared_mutex>/<uncontended|contended> x locks_taken; per_record_lock: "
       "batch/engine_calls/sql/paired/<scenario>:locks_ns (mutex, sql engine: the locked and "
       "unlocked loops side by side in each iteration), else batch/engine_calls/[sql/]"
       "per_record_locked/<mutex>[/<scenario>] - per_record"},
      {"clock_reads", "batch/clock_read x phase boundaries beyond direct's"},
      {"record_copies", "copy/record/<share|deep_copy> x records handed off (share, deep-copy)"},
      {"batches", "batch/job_loop/1 - batch/direct_loop/1 x batches (lent source)"},
      {"engine_calls",
       "batch/engine_calls/per_record - batched x (records - batches); sql engine: "
       "batch/engine_calls/sql/paired/<scenario>:calls_ns, else "
       "batch/engine_calls/sql/per_record/<scenario> - sql/batched/<scenario>"},
      {"routing",
       "routing/decoded/<scenario> (materialized source; older results and lent records: "
       "routing/records/<scenario>) x records read (adaptive, p > 1, hash)"},
      {"queue_push/pop", "0.5 x queue/<kind>/bulk/<nearest 1|16|256> x items pushed / popped"},
      {"queue_crossing",
       "0.5 x (crossing/ping_pong/<B> - crossing/same_thread/<B>) x items "
       "popped or rows handed over"},
      {"record_lines",
       "records/other_reads/use - same_thread/use - 0.5 x (crossing/ping_pong/"
       "1000 - same_thread/1000) x records born on another core"},
      {"remote_frees", "records/other_reads_frees/use - other_reads/use x the same records"},
      {"aged_records",
       "records/ahead/other_reads_frees/use/lead:1 - same_thread/use - 0.5 x (crossing/"
       "ping_pong/1000 - same_thread/1000) x records a worker popped without waiting (adaptive; "
       "record_lines and remote_frees take those it waited for)"},
      {"reused_blocks",
       "records/overlapped_frees/make/<scenario> - same_thread/make/<scenario> x the same records "
       "(batch 1000; other batch sizes, and older results: other_reads_frees/make/<scenario>/"
       "<batch> - same_thread/make/<scenario>/<batch>, at batch 1000 where the run has no figure "
       "at the cell's size; s0's records where it has no per-scenario figures)"},
      {"produced_rows",
       "records/overlapped_frees/produce/<scenario> - same_thread/produce/<scenario> x records "
       "read (streaming, sql engine, materialized source; where measured; older results: "
       "other_reads_frees/produce)"},
      {"handoffs", "0.5 x thread/ping_pong/atomic_wait x this path's blocking waits"},
      {"wakeups",
       "thread/wake_sleeping/<condvar|event_count>/<gap> x the other side's blocking waits, on "
       "the waker's path"},
      {"threads",
       "thread/start_join/busy_us:200 x threads started; pinned, start_join_pinned/same_cpu or "
       "/other_cpu by where each thread pins (older results: back to back)"},
      {"fresh_heaps",
       "thread/first_allocations/new_thread - warm_thread x threads started (where measured)"},
      {"thread_meters", "thread/meter x threads started (where measured)"},
      {"stream_startup",
       "startup/whole/<mode>/records:1/busy_us:200 x 1 (older results: back to back)"},
      {"channel", "raw/mutex-deque/push_pop x output batches, per side"},
      {"pause_checks", "lock/mutex_lock_unlock/uncontended x chunks (eager)"},
      {"fresh_batches",
       "batch/output_vector/fresh_freed_elsewhere/<B> - 2 x batch/clock_read - reuse/<B> x "
       "output batches (older results: fresh/<B> - reuse/<B>)"},
      {"injected_work", "(work/injected/rounds:400 - rounds:0) / 400 x rounds x records"},
      {"parallel_work",
       "baseline wall x (split factor - 1) (lockless_stp): each CPU's share of the records "
       "as counted, at capacity = machine/parallel_engine threads:1 / threads:k while k run; "
       "a path on one CPU with others beside it: k x threads:1/slot:0 / the mean of "
       "threads:k/slot:0..k-1 (weighed with machine/parallel_injected's by the share of "
       "injected rounds)"},
      {"overlapped_base_work", "-(baseline work moved off the critical path: engine, read)"},
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
                         {"baseline_ns_per_record", r.baseline_ns_per_record},
                         {"components", components},
                         {"predicted_ns_per_record", r.predicted_ns_per_record},
                         {"unexplained_ns_per_record", r.unexplained_ns_per_record},
                         {"explained_pct", r.explained_pct ? nlohmann::json(*r.explained_pct)
                                                           : nlohmann::json(nullptr)},
                         {"group", r.group},
                         {"paired", r.paired},
                         {"measured_low_ns_per_record", r.measured_low_ns},
                         {"measured_high_ns_per_record", r.measured_high_ns},
                         {"within_noise", r.within_noise},
                         {"within_process_floor", r.within_process_floor},
                         {"process_floor_ns_per_record", r.process_floor_ns},
                         {"artifact", r.artifact},
                         {"pairs", r.pairs},
                         {"pairs_outside_regime", r.pairs_outside_regime}});
  }
  nlohmann::json summary_json = nlohmann::json::array();
  for (const StrategySummary& s : summary)
    summary_json.push_back(
        {{"group", s.group},
         {"cells", s.cells},
         {"within_noise", s.within_noise},
         {"within_process_floor", s.within_process_floor},
         {"artifacts", s.artifacts},
         {"above_noise", s.above_noise},
         {"within_20pct", s.within_20pct},
         {"measured_ns_per_record", s.measured_ns},
         {"predicted_ns_per_record", s.predicted_ns},
         {"explained_share",
          s.explained_share ? nlohmann::json(*s.explained_share) : nlohmann::json(nullptr)}});
  nlohmann::json injected_json = nlohmann::json::array();
  for (const InjectedCheck& c : injected_checks)
    injected_json.push_back({{"cell", c.cell},
                             {"twin", c.twin},
                             {"rounds", c.rounds},
                             {"predicted_ns_per_record", c.predicted_ns},
                             {"measured_ns_per_record", c.measured_ns},
                             {"within_10pct", c.within_10pct}});
  nlohmann::json regime_json = nullptr;
  if (regime.line_rt_ns > 0)
    regime_json = {{"line_round_trip_ns", regime.line_rt_ns},
                   {"low_ns", regime.low_ns},
                   {"high_ns", regime.high_ns},
                   {"pairs", regime.pairs},
                   {"microbench_probes", regime.microbench_probes},
                   {"pairs_outside", regime.pairs_outside},
                   {"notes", regime.notes},
                   {"read_again", regime.read_again}};
  nlohmann::json floor_json = nullptr;
  if (process_floor.measured()) {
    nlohmann::json readings = nlohmann::json::array();
    for (const ProcessFloorReading& r : process_floor.readings)
      readings.push_back({{"source", r.source},
                          {"ratio", r.ratio},
                          {"low", r.low},
                          {"high", r.high},
                          {"direct_ns", r.direct_ns},
                          {"calling_thread", r.calling_thread}});
    nlohmann::json left_out = nlohmann::json::array();
    for (const ProcessFloorReading& r : process_floor.left_out)
      left_out.push_back({{"source", r.source}, {"ratio", r.ratio}, {"direct_ns", r.direct_ns}});
    floor_json = {{"processes", process_floor.processes},
                  {"fraction", process_floor.fraction},
                  {"calling_thread_fraction", process_floor.calling_thread_fraction},
                  {"readings", readings},
                  {"left_out_slowed_host", left_out}};
  }
  return {{"format", "streamgauge-explain/3"},
          {"regime", regime_json},
          {"process_floor", floor_json},
          {"injected_checks", injected_json},
          {"method", overhead_model_method()},
          {"matrix", matrix},
          {"microbench", microbench},
          {"summary", summary_json},
          {"unit_cost_problems", unit_cost_problems},
          {"not_explained", not_explained},
          {"rows", rows_json}};
}

namespace {

// Columns in a stable order; a component a scenario never uses gets no column.
const std::vector<std::pair<std::string, std::string>>& column_names() {
  static const std::vector<std::pair<std::string, std::string>> names = {
      {"locks", "lock"},          {"clock_reads", "clock"},
      {"record_copies", "copy"},  {"batches", "batch"},
      {"engine_calls", "ecall"},  {"queue_push", "push"},
      {"queue_pop", "pop"},       {"queue_crossing", "cross"},
      {"handoffs", "wake"},       {"wakeups", "woke"},
      {"threads", "thrd"},        {"fresh_heaps", "heap"},
      {"thread_meters", "meter"}, {"stream_startup", "start"},
      {"channel", "chan"},        {"pause_checks", "pause"},
      {"fresh_batches", "fresh"}, {"injected_work", "inject"},
      {"parallel_work", "par"},   {"overlapped_base_work", "overlap"},
  };
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
    if (!r->artifact.empty()) {
      fmt::print(out, "{}  artifact: faster than direct though it does more (matrix anomaly)\n",
                 line);
      continue;
    }
    if (r->within_process_floor) {
      fmt::print(out, "{}  within noise between processes (+-{:.1f} ns)\n", line,
                 r->process_floor_ns);
      continue;
    }
    if (r->within_noise) {
      // No overhead to explain: its interval, not a percentage.
      fmt::print(out, "{}  within noise ({:+.1f} to {:+.1f} ns)\n", line, r->measured_low_ns,
                 r->measured_high_ns);
      continue;
    }
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

void print_summary(std::ostream& out, const std::vector<StrategySummary>& summary) {
  fmt::print(out, "{:<36} {:>5} {:>6} {:>6} {:>6} {:>11} {:>11} {:>9}\n", "strategy", "cells",
             "noise", "artif", "+-20%", "measured", "predicted", "explained");
  for (const StrategySummary& s : summary) {
    std::string line = fmt::format("{:<36} {:>5} {:>6} {:>6} {:>3}/{:<2}", s.group, s.cells,
                                   s.within_noise, s.artifacts, s.within_20pct, s.above_noise);
    line += s.explained_share ? fmt::format(" {:>11.1f} {:>11.1f} {:>8.0f}%", s.measured_ns,
                                            s.predicted_ns, 100 * *s.explained_share)
                              : fmt::format(" {:>11} {:>11} {:>9}", "-", "-", "n/a");
    fmt::print(out, "{}\n", line);
  }
  fmt::print(out,
             "(noise: cells whose overhead's 95% interval contains 0, or within the noise floor "
             "between processes of their kind (threads of their own, or the calling thread) where "
             "one was measured; artif: cells the matrix "
             "flagged as faster than direct though they do more, a measurement artifact; +-20%: "
             "above-noise cells predicted within 20%; measured, predicted: ns per record summed "
             "over above-noise cells, a cell faster than direct by its saving, its prediction "
             "sign flipped)\n");
}

}  // namespace

void Explanation::print(std::ostream& out) const {
  fmt::print(out, "matrix:     {}\nmicrobench: {}\n\n", matrix, microbench);
  print_summary(out, summary);
  if (regime.line_rt_ns > 0) {
    fmt::print(out,
               "\ncross-core regime: a cache line's round trip between CPU slots 0 and 1 was "
               "{:.0f} ns (median of the probes before {} pairs and of {} around microbench "
               "repetitions). {} pairs probed outside "
               "{:.0f}-{:.0f} ns are left out of the measured overheads, and microbench "
               "repetitions probed outside it (before or after their timed loop) out of the unit "
               "costs.\n",
               regime.line_rt_ns, regime.pairs, regime.microbench_probes, regime.pairs_outside,
               regime.low_ns, regime.high_ns);
    for (const std::string& n : regime.notes) fmt::print(out, "  {}\n", n);
  }
  if (process_floor.measured()) {
    fmt::print(out,
               "\nnoise floor between processes: pairs that do the same work on both sides, in {} "
               "processes; a cell whose overhead is within its kind's share of direct's time is "
               "within noise (cells here: {})\n",
               process_floor.processes,
               std::count_if(rows.begin(), rows.end(),
                             [](const ExplainRow& r) { return r.within_process_floor; }));
    for (const bool calling_thread : {false, true}) {
      if (!process_floor.measured(calling_thread)) continue;
      double lowest = 0, highest = 0;
      size_t cells = 0;
      for (const ProcessFloorReading& r : process_floor.readings) {
        if (r.calling_thread != calling_thread) continue;
        lowest = cells == 0 ? r.ratio : std::min(lowest, r.ratio);
        highest = cells == 0 ? r.ratio : std::max(highest, r.ratio);
        ++cells;
      }
      fmt::print(out, "  {}: {:.3f}x-{:.3f}x over {} cells: within {:.1f}%\n",
                 calling_thread ? "on the calling thread (batch_lock against direct)"
                                : "threads of their own (lockless_stp p1 against direct)",
                 lowest, highest, cells, 100 * process_floor.fraction_for(calling_thread));
    }
    for (const ProcessFloorReading& r : process_floor.left_out)
      fmt::print(out,
                 "  left out (a slowed host: direct took {:.1f} ns a record there, over {:.0f}% "
                 "more than its median over the processes): {} at {:.3f}x\n",
                 r.direct_ns, 100 * (ProcessFloor::kHostSlowed - 1), r.source, r.ratio);
  }
  if (!unit_cost_problems.empty()) {
    fmt::print(out, "\nunit-cost problems (priced at 0):\n");
    for (const std::string& p : unit_cost_problems) fmt::print(out, "  {}\n", p);
  }
  if (!injected_checks.empty()) {
    fmt::print(out,
               "\ninjected-work validation (cell with N rounds per record vs its twin "
               "without: measured, the difference of their overheads; predicted, of their "
               "predictions; must be within 10%):\n");
    for (const InjectedCheck& c : injected_checks)
      fmt::print(out, "  {}: predicted {:.1f} ns, measured {:.1f} ns ({})\n", c.cell,
                 c.predicted_ns, c.measured_ns, c.within_10pct ? "within 10%" : "OFF");
  }
  fmt::print(out, "\nmethod: {}\n\n", overhead_model_method());
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
