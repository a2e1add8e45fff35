// What a matrix run produced: one CellResult per expanded cell, with its timed samples.
// result_output.h writes it as JSON, CSV and the printed table.
#pragma once

#include <string>
#include <vector>

#include "harness/job/statistics.h"
#include "harness/matrix/environment.h"
#include "harness/matrix/matrix.h"

namespace sg {

enum class CellStatus { Ok, Skipped, Failed };
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

  size_t failed() const;
};

}  // namespace sg
