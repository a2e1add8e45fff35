// The progress line's time left: each cell's remaining passes at that cell's own mean pass time,
// so that a peer's pass (seconds) and ours (milliseconds) are not averaged into one rate. A cell
// not yet timed borrows the mean pass time of its kind (ours or peers); passes of a kind none of
// which ran yet are counted, not guessed ("+ 40 peer passes not yet timed"). A paired cell may
// add pairs beyond its minimum until its budget is spent, so while any is still pairing the line
// also gives an upper bound: the minimum's time plus every open budget's unspent seconds.
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
  // A paired cell's budget (seconds of pairs), what its pairs have spent, and the end of its
  // pairing (target met, budget spent, or the cell failed).
  void pairing_budget(const CellResult& c, double seconds);
  void pair_spent(const CellResult& c, double seconds);
  void pairing_done(const CellResult& c);
  size_t done() const { return done_; }
  size_t total() const { return total_; }
  // "~12s left", "~12s left + 40 peer passes not yet timed", or, while cells pair,
  // "~12s left (up to ~95s while 7 paired cells narrow their intervals)".
  std::string left() const;

 private:
  struct Cell {
    bool peer = false;
    size_t planned = 0, done = 0;
    double seconds = 0;
    double budget_s = 0, pair_spent_s = 0;  // a paired cell's budget, and what its pairs spent
    bool pairing = false;
  };
  std::map<const CellResult*, Cell> cells_;
  size_t done_ = 0, total_ = 0;
};

}  // namespace sg
