// When each record of an open-loop run is meant to be released: its *intended* time, fixed before
// the run from the offered rate, whatever the pipeline does. Latency is measured from it, so a
// stalled pipeline cannot hide its stall by slowing the source down (the coordinated-omission
// correction of wrk2 and HdrHistogram).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace sg {

enum class Arrival {
  Constant,  // one record every 1/rate seconds
  Poisson,   // exponential gaps of mean 1/rate (seeded): bursts as real sources have them
};
const char* arrival_name(Arrival a);
std::optional<Arrival> parse_arrival(std::string_view s);

class ReleaseSchedule {
 public:
  // Intended times of `records` records (stream positions 0..records-1) at `rate` records/s.
  ReleaseSchedule(size_t records, double rate, Arrival arrival, uint64_t seed = 1);

  size_t size() const { return offsets_.size(); }
  double rate() const { return rate_; }
  Arrival arrival() const { return arrival_; }
  // Intended time of stream position p, in ns after the run's start (position 0 is at 0).
  int64_t offset_ns(size_t position) const { return offsets_[position]; }
  // The span of the schedule: the last record's intended time after the start.
  int64_t span_ns() const { return offsets_.empty() ? 0 : offsets_.back(); }

  // The run's start on the run's clock (latency_clock.h): the first reader's first clock read sets
  // it (so set-up before the first read is not counted as latency); later calls return the one
  // already set.
  int64_t start_once(int64_t now_ns);
  // 0 before start_once(). A sink reads it after a record reached it, so it is set by then.
  int64_t start_ns() const { return start_.load(std::memory_order_acquire); }

 private:
  std::vector<int64_t> offsets_;
  double rate_;
  Arrival arrival_;
  std::atomic<int64_t> start_{0};
};

}  // namespace sg
