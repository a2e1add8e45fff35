#include "harness/matrix/progress_estimate.h"

#include <fmt/format.h>

namespace sg {

void ProgressEstimate::plan(const CellResult& c, size_t passes) {
  Cell& cell = cells_[&c];
  cell.peer = c.cell.is_peer();
  cell.planned += passes;
  total_ += passes;
}

void ProgressEstimate::pass_done(const CellResult& c, double seconds) {
  Cell& cell = cells_[&c];
  ++cell.done;
  cell.seconds += seconds;
  ++done_;
}

void ProgressEstimate::pairing_budget(const CellResult& c, double seconds) {
  Cell& cell = cells_[&c];
  cell.budget_s = seconds;
  cell.pairing = seconds > 0;
}

void ProgressEstimate::pair_spent(const CellResult& c, double seconds) {
  cells_[&c].pair_spent_s += seconds;
}

void ProgressEstimate::pairing_done(const CellResult& c) {
  cells_[&c].pairing = false;
}

std::string ProgressEstimate::left() const {
  // Mean pass time per kind, over every pass of that kind so far.
  double kind_seconds[2] = {0, 0};
  size_t kind_passes[2] = {0, 0};
  for (const auto& [key, c] : cells_) {
    kind_seconds[c.peer] += c.seconds;
    kind_passes[c.peer] += c.done;
  }
  double seconds = 0;
  size_t untimed[2] = {0, 0};
  for (const auto& [key, c] : cells_) {
    const size_t remaining = c.planned > c.done ? c.planned - c.done : 0;
    if (c.done) {
      seconds += c.seconds / double(c.done) * double(remaining);
    } else if (kind_passes[c.peer]) {
      seconds += kind_seconds[c.peer] / double(kind_passes[c.peer]) * double(remaining);
    } else {
      untimed[c.peer] += remaining;
    }
  }
  double unspent = 0;
  size_t pairing = 0;
  for (const auto& [key, c] : cells_) {
    if (!c.pairing) continue;
    ++pairing;
    unspent += c.budget_s > c.pair_spent_s ? c.budget_s - c.pair_spent_s : 0;
  }
  std::string s = fmt::format("~{:.0f}s left", seconds);
  if (pairing)
    s += fmt::format(" (up to ~{:.0f}s while {} paired cell{} narrow{} {} interval{})",
                     seconds + unspent, pairing, pairing == 1 ? "" : "s", pairing == 1 ? "s" : "",
                     pairing == 1 ? "its" : "their", pairing == 1 ? "" : "s");
  if (untimed[0]) s += fmt::format(" + {} passes not yet timed", untimed[0]);
  if (untimed[1]) s += fmt::format(" + {} peer passes not yet timed", untimed[1]);
  return s;
}

}  // namespace sg
