#include "harness/matrix/matrix_result.h"

#include <fmt/format.h>

#include "harness/strategies/strategy.h"

namespace sg {

const char* cell_status_name(CellStatus s) {
  switch (s) {
    case CellStatus::Ok: return "ok";
    case CellStatus::Skipped: return "skipped";
    case CellStatus::Failed: return "failed";
    case CellStatus::NotRun: return "not_run";
  }
  return "?";
}

static std::vector<double> sample_values(const CellResult& c,
                                         double (*f)(const RunResult&, uint64_t)) {
  std::vector<double> v;
  for (const RunResult& r : c.samples) v.push_back(f(r, c.cell.records));
  return v;
}

Summary CellResult::throughput() const {
  auto v = sample_values(*this, [](const RunResult& r, uint64_t n) {
    return r.wall_ns ? static_cast<double>(n) * 1e9 / static_cast<double>(r.wall_ns) : 0.0;
  });
  return summarize(v);
}

Summary CellResult::us_per_record() const {
  auto v = sample_values(*this, [](const RunResult& r, uint64_t n) {
    return n ? static_cast<double>(r.wall_ns) / 1e3 / static_cast<double>(n) : 0.0;
  });
  return summarize(v);
}

double CellResult::median_cpu_ns() const {
  auto v = sample_values(*this, [](const RunResult& r, uint64_t) { return double(r.cpu_ns()); });
  return median(v);
}

double CellResult::median_wall_ns() const {
  return median(
      sample_values(*this, [](const RunResult& r, uint64_t) { return double(r.wall_ns); }));
}

std::optional<std::string> CellResult::anomaly() const {
  if (!paired || cell.is_peer() || !paired->ratio.faster_beyond_interval()) return std::nullopt;
  const std::unique_ptr<Strategy> strategy = make_strategy(cell.runner_name);
  if (!strategy || !strategy->does_direct_work_plus_more(cell.config))
    return std::nullopt;
  return fmt::format(
      "{} does direct's work plus more, yet read {:.3f}x of direct [{:.3f}-{:.3f}, {} pairs]: "
      "a measurement artifact, not a result",
      cell.runner_name, paired->ratio.ratio, paired->ratio.low, paired->ratio.high,
      paired->ratio.n);
}

size_t MatrixResult::failed() const { return count(CellStatus::Failed); }

size_t MatrixResult::count(CellStatus s) const {
  size_t n = 0;
  for (const CellResult& c : cells) n += c.status == s;
  return n;
}

}  // namespace sg
