// The outputs of a matrix run: JSON and CSV files, and the table printed at its end.
#include "harness/matrix/result_output.h"

#include <algorithm>
#include <map>
#include <ostream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include "harness/job/line_round_trip.h"
#include "harness/job/run_stats.h"
#include "harness/job/statistics.h"
#include "harness/matrix/interruption.h"

namespace sg {

namespace {

const CellResult* find_cell(const MatrixResult& r, const std::string& id) {
  for (const CellResult& c : r.cells)
    if (c.status == CellStatus::Ok && c.cell.id() == id) return &c;
  return nullptr;
}

nlohmann::json summary_json(const Summary& s) {
  return {{"n", s.n}, {"median", s.median}, {"min", s.min}, {"max", s.max}, {"cv", s.cv}};
}

nlohmann::json paired_json(const PairedFigures& p) {
  nlohmann::json out = {{"baseline", p.baseline_id},
                        {"pairs", p.ratio.n},
                        {"ratio", p.ratio.ratio},
                        {"low", p.ratio.low},
                        {"high", p.ratio.high},
                        {"coverage", p.ratio.coverage},
                        {"half_width", p.ratio.half_width()},
                        {"stopped_by", p.stop},
                        {"spent_s", p.spent_s},
                        {"cell_wall_ns", p.cell_ns},
                        {"baseline_wall_ns", p.baseline_ns}};
  const bool probed =
      std::any_of(p.line_rt_ns.begin(), p.line_rt_ns.end(), [](double ns) { return ns > 0; });
  if (probed) out["line_round_trip_ns"] = p.line_rt_ns;
  return out;
}

// The cell's ratio over direct, as the table prints it: paired with its interval where the cell
// was paired, else the ratio of the two cells' medians; "ANOMALY" where it cannot be a result.
std::string vs_direct_text(const MatrixResult& r, const CellResult& c) {
  if (c.anomaly()) return "ANOMALY";
  if (c.paired) {
    return fmt::format("{:.2f}x +-{:.1f}%", c.paired->ratio.ratio,
                       c.paired->ratio.half_width() * 100);
  }
  const CellResult* base = find_cell(r, c.cell.baseline_id());
  if (base == &c) return "baseline";
  if (base && !base->samples.empty() && !c.samples.empty())
    return fmt::format("{:.2f}x", base->throughput().median / c.throughput().median);
  return "";
}

// How the figures were made, printed under every table (docs/method.md says why).
void print_method(const MatrixResult& r, std::ostream& out) {
  const MatrixSpec& spec = r.spec;
  const Calibration& cal = r.calibration;
  fmt::print(out, "\nmethod:\n");
  fmt::print(out,
             "  headline (M records/s, vs direct): uninstrumented passes, no clock read per record "
             "or batch; threads {}\n",
             spec.base.pin_threads ? "pinned by role (thread_placement.h)" : "placed by the OS");
  fmt::print(out,
             "  vs direct: median of paired ratios, each pair the cell and direct back to back "
             "(order alternating), 95% interval of the median from the sign test's order "
             "statistics (distribution-free); pairs added from {} until the half-width is at "
             "most {:.1f}%{} or {:.1f} s per cell are spent\n",
             spec.repetitions, spec.target_half_width * 100,
             spec.target_overhead_half_width > 0
                 ? fmt::format(" and {:.0f}% of the overhead |ratio - 1|",
                               spec.target_overhead_half_width * 100)
                 : std::string(),
             spec.cell_budget_s);
  fmt::print(out,
             "  checks: {} checked pass(es) per cell against the full digest of direct's output "
             "({:.1f} ns/row); every timed pass against the output fingerprint (its sink costs "
             "{:.1f} ns per output row, inside the figures)\n",
             std::max(spec.warmup, 1), cal.digest_ns_per_row, cal.fingerprint_ns_per_row);
  fmt::print(out,
             "  phases: {} instrumented pass(es) per cell (wall and CPU time per phase; time off "
             "the CPU inside coordination booked as waiting); clock reads cost {:.1f} ns per "
             "phase charge and {:.0f} ns per CPU clock read (intervals of 10 us or more), taken "
             "out as the instrumentation row\n",
             spec.instrumented_repetitions, cal.ns_per_charge, cal.ns_per_cpu_read);
  std::vector<double> probes;
  for (const CellResult& c : r.cells)
    if (c.paired)
      for (double ns : c.paired->line_rt_ns)
        if (ns > 0) probes.push_back(ns);
  if (!probes.empty()) {
    const double mid = median(probes);
    const auto outside = std::count_if(probes.begin(), probes.end(), [&](double ns) {
      return ns < mid / kLineRegimeBand || ns > mid * kLineRegimeBand;
    });
    fmt::print(out,
               "  cross-core regime: a cache line's round trip between CPU slots 0 and 1, probed "
               "before each pair: median {:.0f} ns over {} pairs, {} ({:.0f}%) outside "
               "{:.0f}-{:.0f} ns (the host moved the vCPUs; every pair is kept in these figures, "
               "`streamgauge explain` sets them apart)\n",
               mid, probes.size(), outside, 100.0 * double(outside) / double(probes.size()),
               mid / kLineRegimeBand, mid * kLineRegimeBand);
  }
}

// Where the time of the median instrumented pass went, summed over its threads, ms.
void print_phases(const MatrixResult& r, std::ostream& out) {
  bool header = false;
  for (const CellResult& c : r.cells) {
    if (c.status != CellStatus::Ok || c.instrumented.empty()) continue;
    std::vector<const RunResult*> runs;
    for (const RunResult& x : c.instrumented) runs.push_back(&x);
    std::sort(runs.begin(), runs.end(),
              [](const RunResult* a, const RunResult* b) { return a->wall_ns < b->wall_ns; });
    const RunResult& m = *runs[(runs.size() - 1) / 2];
    if (!header) {
      fmt::print(out, "\nphases of the median instrumented pass, all threads, ms (cpu ms):\n");
      fmt::print(out, "{:<58}", "cell");
      for (size_t i = 0; i < kPhaseCount; ++i)
        fmt::print(out, " {:>13}", phase_name(static_cast<Phase>(i)));
      fmt::print(out, " {:>8} {:>8} {:>8}\n", "instr.", "unattr.", "lifetime");
      header = true;
    }
    PhaseNs wall{}, cpu{};
    uint64_t instr = 0, unattributed = 0, life = 0;
    for (const ThreadReport& t : m.threads) {
      for (size_t i = 0; i < kPhaseCount; ++i) {
        wall[i] += t.phase_ns[i];
        cpu[i] += t.phase_cpu_ns[i];
      }
      instr += t.instrumentation_ns;
      unattributed += t.unattributed_ns;
      life += t.lifetime_ns;
    }
    fmt::print(out, "{:<58}", c.cell.id());
    for (size_t i = 0; i < kPhaseCount; ++i)
      fmt::print(out, " {:>13}", fmt::format("{:.1f} ({:.1f})", wall[i] / 1e6, cpu[i] / 1e6));
    fmt::print(out, " {:>8.1f} {:>8.1f} {:>8.1f}\n", instr / 1e6, unattributed / 1e6, life / 1e6);
  }
}

// Scenario x strategy, median M records/s, one grid per engine and batch size. A strategy run on
// several partition counts or queues gets a column for each.
void print_grid(const MatrixResult& r, std::ostream& out) {
  std::vector<std::string> engines, columns, rows;
  std::set<size_t> batches;
  std::map<std::string, std::string> value;  // engine|batch|row|column -> text
  auto add_unique = [](std::vector<std::string>& v, const std::string& x) {
    if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
  };
  for (const CellResult& c : r.cells) {
    if (c.status == CellStatus::Skipped) continue;
    const Cell& cell = c.cell;
    const std::string engine = cell.is_peer() ? "sql" : engine_kind_name(cell.config.engine);
    std::string column = cell.runner_name;
    if (!cell.is_peer() && cell.config.partitions > 1)
      column += fmt::format(" p{}", cell.config.partitions);
    if (cell.names_queue && r.spec.queues.size() > 1)
      column += fmt::format(" {}", queue_kind_name(cell.config.queue));
    if (cell.names_streaming && r.spec.streaming_modes.size() > 1)
      column += fmt::format(" {}", streaming_mode_name(cell.config.streaming));
    if (cell.names_capacity) column += fmt::format(" cap {}", cell.config.queue_capacity);
    if (!c.peer_work.empty()) column += " (less work)";
    if (!cell.config.phase_timing) column += " untimed";
    if (cell.config.source != SourceKind::Lent)
      column += fmt::format(" {}", source_kind_name(cell.config.source));
    if (cell.config.handoff != Handoff::Move)
      column += fmt::format(" {}", handoff_name(cell.config.handoff));
    const std::string row = fmt::format("{} n={}", cell.scenario->name, cell.records);
    add_unique(engines, engine);
    add_unique(columns, column);
    add_unique(rows, row);
    batches.insert(cell.config.batch_size);
    value[fmt::format("{}|{}|{}|{}", engine, cell.config.batch_size, row, column)] =
        c.status == CellStatus::Failed ? "FAILED"
        : c.samples.empty()            ? "-"
                                       : fmt::format("{:.2f}", c.throughput().median / 1e6);
  }
  for (const std::string& engine : engines) {
    for (size_t batch : batches) {
      fmt::print(out, "\nengine {}, batch size {}: median M records/s (peers: batch SQL)\n", engine,
                 batch);
      fmt::print(out, "{:<42}", "scenario");
      for (const std::string& col : columns)
        fmt::print(out, " {:>{}}", col, std::max<size_t>(8, col.size()));
      fmt::print(out, "\n");
      for (const std::string& row : rows) {
        bool any = false;
        for (const std::string& col : columns)
          any = any || value.count(fmt::format("{}|{}|{}|{}", engine, batch, row, col));
        if (!any) continue;
        fmt::print(out, "{:<42}", row);
        for (const std::string& col : columns) {
          auto it = value.find(fmt::format("{}|{}|{}|{}", engine, batch, row, col));
          fmt::print(out, " {:>{}}", it == value.end() ? "" : it->second,
                     std::max<size_t>(8, col.size()));
        }
        fmt::print(out, "\n");
      }
    }
  }
}

// Once per strategy, the dimensions of this matrix it ignores: it has one cell along each.
void print_ignored_dimensions(const MatrixSpec& spec, std::ostream& out) {
  std::string lines;
  for (const std::string& strategy : spec.strategies) {
    const std::vector<std::string> dims = ignored_dimensions(spec, strategy);
    if (!dims.empty()) lines += fmt::format("  {} ignores: {}\n", strategy, fmt::join(dims, ", "));
  }
  if (!lines.empty())
    fmt::print(out, "\none cell per strategy along the dimensions it ignores:\n{}", lines);
}

}  // namespace

nlohmann::json to_json(const MatrixResult& result) {
  const std::vector<CellResult>& cells = result.cells;
  nlohmann::json cells_json = nlohmann::json::array();
  for (const CellResult& c : cells) {
    nlohmann::json j = {{"id", c.cell.id()},
                        {"scenario", c.cell.scenario->name},
                        {"strategy", c.cell.runner_name},
                        {"peer", c.cell.is_peer()},
                        {"records", c.cell.records},
                        {"config", c.cell.config.to_json()},
                        {"status", cell_status_name(c.status)}};
    if (c.cell.injected_work > 0) j["config"]["injected_work"] = c.cell.injected_work;
    if (!c.reason.empty()) j["reason"] = c.reason;
    if (c.cell.is_peer()) {
      j["peer_sql"] = c.peer_sql;
      j["peer_timed"] = c.peer_timed;
      j["peer_check"] = c.peer_check;
      j["peer_mode"] = c.peer_mode;
      j["peer_work"] = c.peer_work;  // "" when the peer did our work
    }
    if (c.status == CellStatus::Ok && !c.samples.empty()) {
      nlohmann::json summary = {{"records_per_second", summary_json(c.throughput())},
                                {"us_per_record", summary_json(c.us_per_record())}};
      const double cpu = c.median_cpu_ns();
      if (cpu > 0) summary["records_per_cpu_second"] = double(c.cell.records) * 1e9 / cpu;
      if (c.paired) {
        summary["paired"] = paired_json(*c.paired);
        if (auto anomaly = c.anomaly()) {
          summary["anomaly"] = *anomaly;
        } else {
          summary["baseline"] = c.paired->baseline_id;
          summary["slowdown_vs_direct"] = c.paired->ratio.ratio;
          summary["overhead_vs_direct_pct"] = (c.paired->ratio.ratio - 1.0) * 100.0;
        }
      } else if (const CellResult* base = find_cell(result, c.cell.baseline_id())) {
        const double ours = c.median_wall_ns();
        const double theirs = base->median_wall_ns();
        if (theirs > 0) {
          summary["baseline"] = base->cell.id();
          summary["slowdown_vs_direct"] = ours / theirs;
          summary["overhead_vs_direct_pct"] = (ours / theirs - 1.0) * 100.0;
        }
      }
      j["summary"] = summary;
      nlohmann::json samples = nlohmann::json::array();
      for (const RunResult& r : c.samples) samples.push_back(r.to_json());
      j["samples"] = samples;
      nlohmann::json instrumented = nlohmann::json::array();
      for (const RunResult& r : c.instrumented) instrumented.push_back(r.to_json());
      j["instrumented_samples"] = instrumented;
    }
    cells_json.push_back(std::move(j));
  }
  nlohmann::json out = {
      {"format", "streamgauge-matrix-result/1"},
      {"environment", to_json(result.environment)},
      {"matrix",
       {{"name", result.spec.name},
        {"file", result.spec.file.string()},
        {"quick", result.spec.quick},
        {"repetitions", result.spec.repetitions},
        {"warmup", result.spec.warmup},
        {"target_half_width", result.spec.target_half_width},
        {"target_overhead_half_width", result.spec.target_overhead_half_width},
        {"cell_budget_s", result.spec.cell_budget_s},
        {"instrumented_repetitions", result.spec.instrumented_repetitions},
        {"pin_threads", result.spec.base.pin_threads}}},
      {"method",
       {{"headline", "uninstrumented passes: no phase clock reads; fingerprint sink"},
        {"ratio",
         "median of paired ratios (cell and direct back to back, order alternating); "
         "95% interval: sign-test order statistics of the paired ratios"},
        {"checks", "checked passes: full digest; timed and instrumented passes: fingerprint"},
        {"line_probe",
         "before each pair, outside its passes: a cache line's round trip between "
         "CPU slots 0 and 1 (harness/job/line_round_trip.h), as the pair's "
         "line_round_trip_ns; absent: not probed"},
        {"phases",
         "instrumented passes: wall and CPU time per phase; off-CPU coordination "
         "booked as waiting; clock reads taken out as instrumentation"},
        {"calibration", result.calibration.to_json()}}},
      {"elapsed_s", result.elapsed_s},
      {"cells", cells_json}};
  // An interrupted result holds only its finished cells; one resumed says how many passes an
  // earlier process timed (harness/matrix/matrix_journal.h).
  out["interrupted"] = result.interrupted_by != 0;
  if (result.interrupted_by) out["interrupted_by"] = signal_name(result.interrupted_by);
  if (result.restored_passes) out["restored_passes"] = result.restored_passes;
  if (!result.journal.empty()) out["journal"] = result.journal;
  return out;
}

std::string to_csv(const MatrixResult& result) {
  std::ostringstream out;
  out << "id,scenario,strategy,engine,batch_size,partitions,queue,records,status,repetitions,"
         "median_records_per_s,min_records_per_s,max_records_per_s,cv,median_us_per_record,"
         "records_per_cpu_s,slowdown_vs_direct,reason\n";
  for (const CellResult& c : result.cells) {
    const Cell& cell = c.cell;
    out << cell.id() << ',' << cell.scenario->name << ',' << cell.runner_name << ','
        << (cell.is_peer() ? "batch-sql" : engine_kind_name(cell.config.engine)) << ','
        << cell.config.batch_size << ',' << cell.config.partitions << ','
        << queue_kind_name(cell.config.queue) << ',' << cell.records << ','
        << cell_status_name(c.status) << ',' << c.samples.size() << ',';
    if (c.status == CellStatus::Ok && !c.samples.empty()) {
      Summary t = c.throughput();
      const double cpu = c.median_cpu_ns();
      out << fmt::format("{:.0f},{:.0f},{:.0f},{:.4f},{:.4f},", t.median, t.min, t.max, t.cv,
                         c.us_per_record().median);
      out << (cpu > 0 ? fmt::format("{:.0f}", double(cell.records) * 1e9 / cpu) : "") << ',';
      const CellResult* base = find_cell(result, cell.baseline_id());
      if (c.paired) {
        if (!c.anomaly()) out << fmt::format("{:.4f}", c.paired->ratio.ratio);
      } else if (base && !base->samples.empty()) {
        out << fmt::format("{:.4f}", base->throughput().median / t.median);
      }
      out << ',';
    } else {
      out << ",,,,,,,";
    }
    std::string reason = c.reason;
    for (char& ch : reason)
      if (ch == '"') ch = '\'';
    out << '"' << reason << "\"\n";
  }
  return out.str();
}

void print_matrix_table(const MatrixResult& r, std::ostream& out) {
  const Environment& e = r.environment;
  fmt::print(out,
             "\nstreamgauge matrix '{}'{}: {} repetitions after {} warm-up, median [min-max], "
             "M records/s of wall time\n",
             r.spec.name, r.spec.quick ? " (quick)" : "", r.spec.repetitions, r.spec.warmup);
  fmt::print(out, "machine: {}\n\n", one_line(e));
  fmt::print(out, "{:<58} {:>22} {:>6} {:>16} {:>10}\n", "cell", "Mrec/s median [range]", "cv%",
             "vs direct", "Mrec/cpu-s");
  size_t skipped = 0;
  std::map<std::string, size_t> skip_reasons;
  for (const CellResult& c : r.cells) {
    if (c.status == CellStatus::NotRun) continue;  // listed below
    if (c.status == CellStatus::Skipped) {
      ++skipped;
      ++skip_reasons[c.reason];
      continue;
    }
    if (c.status == CellStatus::Failed) {
      fmt::print(out, "{:<58} FAILED: {}\n", c.cell.id(), c.reason);
      continue;
    }
    Summary t = c.throughput();
    const std::string vs = vs_direct_text(r, c);
    const double cpu = c.median_cpu_ns();
    fmt::print(out, "{:<58} {:>7.2f} [{:.2f}-{:.2f}] {:>6.1f} {:>16} {:>10}{}\n", c.cell.id(),
               t.median / 1e6, t.min / 1e6, t.max / 1e6, t.cv * 100, vs,
               cpu > 0 ? fmt::format("{:.2f}", double(c.cell.records) * 1e3 / cpu) : "",
               c.peer_work.empty() ? "" : "  " + c.peer_work);
  }
  std::string anomalies;
  for (const CellResult& c : r.cells)
    if (auto why = c.anomaly()) anomalies += fmt::format("  {}: {}\n", c.cell.id(), *why);
  if (!anomalies.empty()) fmt::print(out, "\nanomalies (not results):\n{}", anomalies);
  print_phases(r, out);
  print_grid(r, out);
  bool peers_header = false;
  for (const CellResult& c : r.cells) {
    if (!c.cell.is_peer() || c.peer_check.empty()) continue;
    if (!peers_header)
      fmt::print(out,
                 "\npeers (batch execution; only the query is timed; our work unless labelled less "
                 "work), checked against streamgauge:\n");
    peers_header = true;
    fmt::print(out, "  {:<50} {}\n", c.cell.id(), c.peer_check);
  }
  print_ignored_dimensions(r.spec, out);
  if (skipped) {
    fmt::print(out, "\n{} cells skipped:\n", skipped);
    for (const auto& [reason, n] : skip_reasons) fmt::print(out, "  {:>4} x {}\n", n, reason);
  }
  if (const size_t not_run = r.count(CellStatus::NotRun)) {
    fmt::print(out, "\n{} cells not run:\n", not_run);
    for (const CellResult& c : r.cells)
      if (c.status == CellStatus::NotRun) fmt::print(out, "  {}: {}\n", c.cell.id(), c.reason);
  }
  if (r.restored_passes)
    fmt::print(out, "\n{} timed passes restored from {} (an earlier, interrupted run)\n",
               r.restored_passes, r.journal);
  if (r.interrupted_by)
    fmt::print(out, "\nINTERRUPTED ({}): only the cells above that ran every repetition are "
               "results\n", signal_name(r.interrupted_by));
  fmt::print(out,
             "\n'vs direct' is the slowdown against direct on the same scenario, engine, batch "
             "size and records (1.00x = as fast), +- the half-width of its 95% interval.\n");
  print_method(r, out);
}

}  // namespace sg
