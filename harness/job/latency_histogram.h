// A log-linear histogram of nanosecond values with HdrHistogram's layout (Gil Tene's), written
// here because HdrHistogram's C library is not packaged in Debian (only its Java and Go ports
// are: libhdrhistogram-java, golang-github-codahale-hdrhistogram-dev), and the project takes
// dependencies from Debian's packages only.
//
// Layout: values 0..255 ns each have a bucket of their own; above that, every power of two
// [2^k, 2^(k+1)) is split into 128 equal sub-buckets, so a bucket is at most 1/128 (0.79%) of
// the values it holds. Values up to kHighestTrackable (2^36 - 1 ns, 68.7 s) are kept; larger
// ones are recorded as kHighestTrackable and counted in clamped(). The counts array is fixed
// (30 KiB), so recording never allocates, takes no lock and costs a few instructions; a
// histogram belongs to one thread, and histograms of several threads are merged at the end.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace sg {

class LatencyHistogram {
 public:
  static constexpr int kSubBucketBits = 8;  // 256 sub-buckets: the first 256 values exact
  static constexpr uint64_t kSubBucketHalf = uint64_t{1} << (kSubBucketBits - 1);
  static constexpr int kValueBits = 36;
  static constexpr uint64_t kHighestTrackable = (uint64_t{1} << kValueBits) - 1;
  static constexpr size_t kBucketCount = kValueBits - kSubBucketBits + 1;
  static constexpr size_t kCountsLength = (kBucketCount + 1) * kSubBucketHalf;

  // Adds one value (ns). No allocation, no lock, no branch but the clamp.
  void record(uint64_t value_ns) {
    if (value_ns > kHighestTrackable) [[unlikely]] {
      value_ns = kHighestTrackable;
      ++clamped_;
    }
    ++counts_[index_of(value_ns)];
    ++count_;
    sum_ += value_ns;
    if (value_ns > max_) max_ = value_ns;
    if (value_ns < min_) min_ = value_ns;
  }
  // A negative latency (a clock read before the intended time) counts as 0.
  void record_signed(int64_t value_ns) {
    record(value_ns < 0 ? 0 : static_cast<uint64_t>(value_ns));
  }

  // Adds every count of `other` (the same fixed layout), as if its values had been recorded here.
  void merge(const LatencyHistogram& other);

  uint64_t count() const { return count_; }
  uint64_t clamped() const { return clamped_; }       // values above kHighestTrackable
  uint64_t max() const { return count_ ? max_ : 0; }  // exact (after clamping)
  uint64_t min() const { return count_ ? min_ : 0; }  // exact
  double mean() const;                                // exact (after clamping)
  // The value at percentile q (0 < q <= 100): the smallest recorded value v such that at least
  // q% of the values are <= v, reported as the highest value of v's bucket (so within 1% above
  // the exact one), never above max(). 0 when empty.
  uint64_t percentile(double q) const;

  // The bucket a value falls in, and the bucket's value range [lowest, highest].
  static size_t index_of(uint64_t value) {
    const int bucket = 64 - std::countl_zero(value | (2 * kSubBucketHalf - 1)) - kSubBucketBits;
    const uint64_t sub_bucket = value >> bucket;
    return (static_cast<size_t>(bucket) << (kSubBucketBits - 1)) + sub_bucket;
  }
  static uint64_t lowest_in_bucket(size_t index);
  static uint64_t highest_in_bucket(size_t index);

  uint64_t count_at(size_t index) const { return counts_[index]; }

  // {"count", "min", "max", "mean", "clamped", "p50".."p99_99", "buckets": [[lowest, count]...]}
  // with only non-empty buckets; from_json() rebuilds an equal histogram from it.
  nlohmann::json to_json() const;
  static LatencyHistogram from_json(const nlohmann::json& j);

  bool operator==(const LatencyHistogram& other) const;

 private:
  std::array<uint64_t, kCountsLength> counts_{};
  uint64_t count_ = 0;
  uint64_t clamped_ = 0;
  unsigned __int128 sum_ = 0;
  uint64_t max_ = 0;
  uint64_t min_ = UINT64_MAX;
};

// The percentiles every latency result reports, in this order, and their JSON keys.
struct ReportedPercentile {
  double q;
  const char* key;    // "p99_9"
  const char* label;  // "p99.9"
};
const std::vector<ReportedPercentile>& reported_percentiles();

}  // namespace sg
