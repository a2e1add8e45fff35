// What a matrix run produced: one CellResult per expanded cell, with its timed samples.
// result_output.h writes it as JSON, CSV and the printed table.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "harness/job/paired_ratio.h"
#include "harness/job/statistics.h"
#include "harness/matrix/calibration.h"
#include "harness/matrix/environment.h"
#include "harness/matrix/matrix.h"

namespace sg {

// NotRun: the run was interrupted before the cell's last repetition (the journal keeps its passes).
enum class CellStatus { Ok, Skipped, Failed, NotRun };
const char* cell_status_name(CellStatus s);

// A cell measured in pairs with its baseline (paired_schedule.h): every pair's wall times, the
// ratio with its interval, and why the pairs stopped.
struct PairedFigures {
  std::string baseline_id;
  std::vector<double> cell_ns, baseline_ns;
  // Per pair, a cache line's round trip between slots 0 and 1 just before it (0: not probed).
  std::vector<double> line_rt_ns;
  PairedRatio ratio;
  std::string stop;  // "half-width target", "budget", ...
  double spent_s = 0;
};

struct CellResult {
  Cell cell;
  CellStatus status = CellStatus::Ok;
  std::string reason;              // why skipped or failed
  // Timed repetitions, in order: uninstrumented (no phase clock reads), the headline figures.
  std::vector<RunResult> samples;
  // Passes with phase timing on, apart from the headline: the phase breakdown, with the clock
  // reads' own cost taken out as each thread's instrumentation_ns.
  std::vector<RunResult> instrumented;
  std::optional<PairedFigures> paired;
  // Peer cells: the SQL the peer ran, what was timed, and what its rows were checked against;
  // its mode ("same-work", "final-rows") and, when it did less than our work, the label that
  // says so wherever its figure is printed ("less work: final rows only (N rows vs M)").
  std::string peer_sql, peer_timed, peer_check, peer_mode, peer_work;

  Summary throughput() const;  // records per second over the samples
  Summary us_per_record() const;
  double median_cpu_ns() const;
  double median_wall_ns() const;
  // Why this cell's ratio cannot be a result: a strategy that does direct's work plus more
  // (Strategy::does_direct_work_plus_more) read faster than direct beyond its interval.
  std::optional<std::string> anomaly() const;
};

struct MatrixResult {
  Environment environment;
  MatrixSpec spec;
  std::vector<CellResult> cells;
  Calibration calibration;  // what the instruments cost on this machine, measured at run start
  double elapsed_s = 0;
  // Stopped by this signal (SIGINT, SIGTERM) after the pass in progress; 0: ran to its end.
  int interrupted_by = 0;
  size_t restored_passes = 0;  // timed passes restored from an earlier run's journal (--resume)
  std::string journal;         // the journal this run appended to or resumed from

  size_t failed() const;
  size_t count(CellStatus s) const;
};

}  // namespace sg
