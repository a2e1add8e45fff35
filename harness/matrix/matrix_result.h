// What a matrix run produced: one CellResult per expanded cell, with its timed samples.
// result_output.h writes it as JSON, CSV and the printed table.
#pragma once

#include <string>
#include <vector>

#include "harness/job/statistics.h"
#include "harness/matrix/environment.h"
#include "harness/matrix/matrix.h"

namespace sg {

// NotRun: the run was interrupted before the cell's last repetition (the journal keeps its passes).
enum class CellStatus { Ok, Skipped, Failed, NotRun };
const char* cell_status_name(CellStatus s);

struct CellResult {
  Cell cell;
  CellStatus status = CellStatus::Ok;
  std::string reason;              // why skipped or failed
  std::vector<RunResult> samples;  // timed repetitions, in order
  // Peer cells: the SQL the peer ran, what was timed, and what its rows were checked against;
  // its mode ("same-work", "final-rows") and, when it did less than our work, the label that
  // says so wherever its figure is printed ("less work: final rows only (N rows vs M)").
  std::string peer_sql, peer_timed, peer_check, peer_mode, peer_work;

  Summary throughput() const;  // records per second over the samples
  Summary us_per_record() const;
  double median_cpu_ns() const;
  double median_wall_ns() const;
};

struct MatrixResult {
  Environment environment;
  MatrixSpec spec;
  std::vector<CellResult> cells;
  double elapsed_s = 0;
  // Stopped by this signal (SIGINT, SIGTERM) after the pass in progress; 0: ran to its end.
  int interrupted_by = 0;
  size_t restored_passes = 0;  // timed passes restored from an earlier run's journal (--resume)
  std::string journal;         // the journal this run appended to or resumed from

  size_t failed() const;
  size_t count(CellStatus s) const;
};

}  // namespace sg
