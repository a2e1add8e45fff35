// Runs a matrix: data generated before timing, a reference pass per scenario, warm-up passes,
// then the timed repetitions interleaved across cells (every cell once, in a shuffled order, then
// again in another) so that drift on a shared machine and after-effects of one cell on the next
// hit every cell alike; peers (SQLite, DuckDB) run after all our cells. Every pass, warm-up included, is checked against the
// reference digest; a mismatch fails the cell loudly.
#pragma once

#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/matrix/environment.h"
#include "harness/matrix/matrix.h"
#include "harness/job/statistics.h"

namespace sg {

enum class CellStatus { Ok, Skipped, Failed };
const char* cell_status_name(CellStatus s);

struct CellResult {
  Cell cell;
  CellStatus status = CellStatus::Ok;
  std::string reason;              // why skipped or failed
  std::vector<RunResult> samples;  // timed repetitions, in order
  // Peer cells: the SQL the peer ran, what was timed, and what its rows were checked against.
  std::string peer_sql, peer_timed, peer_check;

  Summary throughput() const;      // records per second over the samples
  Summary us_per_record() const;
  double median_cpu_ns() const;
};

struct MatrixResult {
  Environment environment;
  MatrixSpec spec;
  std::vector<CellResult> cells;
  double elapsed_s = 0;

  size_t failed() const;
  nlohmann::json to_json() const;
  // One row per cell, the summary columns (for spreadsheets and scripts).
  std::string to_csv() const;
};

struct MatrixRunOptions {
  std::ostream* progress = nullptr;  // a progress line per pass (stderr), or none
  std::ostream* log = nullptr;       // what is being prepared (stderr), or none
  // Tests only: decorates the engines of every non-direct cell (e.g. to drop a row and prove
  // that the result check fails the cell).
  EngineWrapper wrap_engine;
  // Extra work per record in every engine of every cell, the reference included
  // (--inject-work): proves that compare catches a slowdown.
  unsigned inject_work = 0;
  // Count instructions of the timed passes only, when run under callgrind with
  // --collect-atstart=no (scripts/instructions): collection is toggled around each timed pass.
  bool callgrind_toggle = false;
};

// Throws ConfigError when a scenario's SQL does not compile (the message names the scenario
// file). A scenario whose output misses its [check] expectations fails all its cells.
MatrixResult run_matrix(const MatrixSpec& spec, const std::vector<Scenario>& scenarios,
                        const Environment& env, const MatrixRunOptions& options);

// The scenario x strategy table printed at the end of a run.
void print_matrix_table(const MatrixResult& result, std::ostream& out);

}  // namespace sg
