#include "harness/latency/release_schedule.h"

#include <cmath>
#include <random>
#include <stdexcept>
#include <string>

namespace sg {

const char* arrival_name(Arrival a) {
  return a == Arrival::Poisson ? "poisson" : "constant";
}

std::optional<Arrival> parse_arrival(std::string_view s) {
  if (s == "constant") return Arrival::Constant;
  if (s == "poisson") return Arrival::Poisson;
  return std::nullopt;
}

ReleaseSchedule::ReleaseSchedule(size_t records, double rate, Arrival arrival, uint64_t seed)
    : offsets_(records), rate_(rate), arrival_(arrival) {
  if (!(rate > 0) || !std::isfinite(rate))
    throw std::invalid_argument("offered rate must be a positive number of records/s, not " +
                                std::to_string(rate));
  const double gap_ns = 1e9 / rate;
  if (arrival == Arrival::Constant) {
    // From the index, not by summing gaps: no rounding drift over millions of records.
    for (size_t i = 0; i < records; ++i)
      offsets_[i] = std::llround(static_cast<double>(i) * gap_ns);
    return;
  }
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> gap(1.0 / gap_ns);
  double t = 0;
  for (size_t i = 0; i < records; ++i) {
    offsets_[i] = std::llround(t);
    t += gap(rng);
  }
}

int64_t ReleaseSchedule::start_once(int64_t now_ns) {
  int64_t expected = 0;
  if (start_.compare_exchange_strong(expected, now_ns, std::memory_order_acq_rel)) return now_ns;
  return expected;
}

}  // namespace sg
