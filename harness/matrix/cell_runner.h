// What runs one pass of a matrix cell, and the kinds of pass the matrix runs (matrix_runner.cpp
// makes the runners; pass_schedule.h decides which passes run when).
#pragma once

#include <memory>
#include <string>

#include "harness/matrix/matrix_result.h"

namespace sg {

enum class PassKind {
  Checked,       // full digest sink, checked against the reference digest; not timed
  Timed,         // the headline: no phase clock reads, the fingerprint sink, checked by it
  Instrumented,  // phase timing on (wall and CPU per phase), the fingerprint sink: the breakdown
};

// One pass's verdict: Ok, or the cell is Skipped (it cannot run here) or Failed, with the reason.
struct PassVerdict {
  CellStatus status = CellStatus::Ok;
  std::string reason;
};

class CellRunner {
 public:
  virtual ~CellRunner() = default;
  // Runs one pass and fills `out` with its result when it counts.
  virtual PassVerdict run_pass(CellResult& c, RunResult& out, PassKind kind) = 0;
};

struct PreparedCell {
  CellResult* result;
  std::unique_ptr<CellRunner> runner;
};

// Marks the cell skipped or failed, with the reason, and drops its samples.
void fail_cell(CellResult& c, PassVerdict v);

}  // namespace sg
