// The progress line's time left: each cell's remaining passes at that cell's own mean pass time,
// so that a peer's pass (seconds) and ours (milliseconds) are not averaged into one rate. A cell
// not yet timed borrows the mean pass time of its kind (ours or peers); passes of a kind none of
// which ran yet are counted, not guessed ("+ 40 peer passes not yet timed").
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "harness/matrix/matrix_result.h"

namespace sg {

class ProgressEstimate {
 public:
  void plan(const CellResult& c, size_t passes);
  void pass_done(const CellResult& c, double seconds);
  size_t done() const { return done_; }
  size_t total() const { return total_; }
  // "~12s left", or "~12s left + 40 peer passes not yet timed".
  std::string left() const;

 private:
  struct Cell {
    bool peer = false;
    size_t planned = 0, done = 0;
    double seconds = 0;
  };
  std::map<const CellResult*, Cell> cells_;
  size_t done_ = 0, total_ = 0;
};

}  // namespace sg
