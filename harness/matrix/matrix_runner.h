// Runs a matrix: the instruments calibrated (calibration.h), data generated before timing, a
// reference pass per scenario, then each group's passes as pass_schedule.h orders them: checked
// passes, headline rounds interleaved across cells in shuffled orders (a cell paired with its
// direct baseline until its ratio's interval is narrow enough or its budget spent), and the
// instrumented passes of the phase breakdown; peers (SQLite, DuckDB) run after all our cells.
// Every pass is checked against the reference (full digest or fingerprint); a mismatch fails the
// cell loudly. result_output.h writes and prints the result.
#pragma once

#include <functional>
#include <iosfwd>
#include <vector>

#include "harness/matrix/environment.h"
#include "harness/matrix/matrix.h"
#include "harness/matrix/matrix_journal.h"
#include "harness/matrix/matrix_result.h"

namespace sg {

struct MatrixRunOptions {
  std::ostream* progress = nullptr;  // a progress line per pass (stderr), or none
  std::ostream* log = nullptr;       // what is being prepared (stderr), or none
  // Tests only: decorates the engines of every cell but the baseline's (e.g. to drop a row and
  // prove that the result check fails the cell).
  EngineWrapper wrap_engine;
  // Extra work per record in every engine of every cell, the reference included
  // (--inject-work): proves that compare catches a slowdown.
  unsigned inject_work = 0;
  // Count instructions of the timed passes only, when run under callgrind with
  // --collect-atstart=no (scripts/instructions): collection is toggled around each timed pass.
  bool callgrind_toggle = false;
  // Every finished pass is appended here (harness/matrix/matrix_journal.h); null: none.
  MatrixJournal* journal = nullptr;
  std::string result_path;  // where the result will be written, for the journal's header
  // The journal of an interrupted run of this matrix: its passes are restored, not run again.
  const JournalContents* resume = nullptr;
  // Probe a cache line's round trip between slots 0 and 1 before each pair (line_round_trip.h),
  // outside both passes: explain sets each pair beside microbenches taken in the same regime.
  bool probe_line_round_trip = false;
  // What probes, when probe_line_round_trip is set (ns; 0: no figure); empty: the real probe.
  // Tests count calls through it instead of reading a measured figure.
  std::function<double()> line_probe;
};

// Throws ConfigError when a scenario's SQL does not compile (the message names the scenario
// file). A scenario whose output misses its [check] expectations fails all its cells.
// Between passes it checks stop_requested() (harness/matrix/interruption.h): once asked, it
// returns after the pass in progress, the result marked interrupted and unfinished cells NotRun.
MatrixResult run_matrix(const MatrixSpec& spec, const std::vector<Scenario>& scenarios,
                        const Environment& env, const MatrixRunOptions& options);

}  // namespace sg
