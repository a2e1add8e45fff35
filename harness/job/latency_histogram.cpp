#include "harness/job/latency_histogram.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace sg {
namespace {

// The bucket (power of two) and sub-bucket of a counts index: the inverse of index_of().
struct BucketPosition {
  int bucket;
  uint64_t sub_bucket;
};

BucketPosition position_of(size_t index) {
  const size_t half = LatencyHistogram::kSubBucketHalf;
  if (index < 2 * half) return {0, index};
  const int bucket = static_cast<int>(index / half) - 1;
  return {bucket, index - static_cast<size_t>(bucket) * half};
}

}  // namespace

uint64_t LatencyHistogram::lowest_in_bucket(size_t index) {
  const BucketPosition p = position_of(index);
  return p.sub_bucket << p.bucket;
}

uint64_t LatencyHistogram::highest_in_bucket(size_t index) {
  const BucketPosition p = position_of(index);
  return (p.sub_bucket << p.bucket) + ((uint64_t{1} << p.bucket) - 1);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (size_t i = 0; i < kCountsLength; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  clamped_ += other.clamped_;
  sum_ += other.sum_;
  max_ = std::max(max_, other.max_);
  min_ = std::min(min_, other.min_);
}

double LatencyHistogram::mean() const {
  return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0;
}

uint64_t LatencyHistogram::percentile(double q) const {
  if (count_ == 0) return 0;
  if (!(q > 0.0 && q <= 100.0)) throw std::invalid_argument("percentile must be in (0, 100]");
  // The rank of the value wanted, 1-based: the smallest with at least q% at or below it.
  const auto rank = std::max<uint64_t>(
      1, static_cast<uint64_t>(std::ceil(q / 100.0 * static_cast<double>(count_) - 1e-9)));
  uint64_t seen = 0;
  for (size_t i = 0; i < kCountsLength; ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::min(highest_in_bucket(i), max_);
  }
  return max_;
}

bool LatencyHistogram::operator==(const LatencyHistogram& other) const {
  return counts_ == other.counts_ && count_ == other.count_ && clamped_ == other.clamped_ &&
         sum_ == other.sum_ && max() == other.max() && min() == other.min();
}

nlohmann::json LatencyHistogram::to_json() const {
  nlohmann::json j;
  j["count"] = count_;
  j["min"] = min();
  j["max"] = max();
  j["mean"] = mean();
  // The exact sum, as a decimal string (it can pass 64 bits), so that from_json() is exact.
  unsigned __int128 s = sum_;
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(s % 10)));
    s /= 10;
  } while (s != 0);
  j["sum"] = digits;
  j["clamped"] = clamped_;
  for (const ReportedPercentile& p : reported_percentiles()) j[p.key] = percentile(p.q);
  nlohmann::json buckets = nlohmann::json::array();
  for (size_t i = 0; i < kCountsLength; ++i) {
    if (counts_[i]) buckets.push_back({lowest_in_bucket(i), counts_[i]});
  }
  j["buckets"] = std::move(buckets);
  return j;
}

LatencyHistogram LatencyHistogram::from_json(const nlohmann::json& j) {
  LatencyHistogram h;
  for (const auto& bucket : j.at("buckets")) {
    const uint64_t lowest = bucket.at(0).get<uint64_t>();
    if (lowest > kHighestTrackable) throw std::invalid_argument("histogram bucket out of range");
    const size_t index = index_of(lowest);
    if (lowest_in_bucket(index) != lowest)
      throw std::invalid_argument("histogram bucket " + std::to_string(lowest) +
                                  " is not the start of a bucket");
    h.counts_[index] += bucket.at(1).get<uint64_t>();
  }
  h.count_ = j.at("count").get<uint64_t>();
  h.clamped_ = j.at("clamped").get<uint64_t>();
  h.max_ = j.at("max").get<uint64_t>();
  h.min_ = h.count_ ? j.at("min").get<uint64_t>() : UINT64_MAX;
  for (char c : j.at("sum").get<std::string>()) {
    if (c < '0' || c > '9') throw std::invalid_argument("histogram sum is not a number");
    h.sum_ = h.sum_ * 10 + static_cast<unsigned>(c - '0');
  }
  uint64_t total = 0;
  for (uint64_t c : h.counts_) total += c;
  if (total != h.count_)
    throw std::invalid_argument("histogram buckets add up to " + std::to_string(total) +
                                ", not its count " + std::to_string(h.count_));
  return h;
}

const std::vector<ReportedPercentile>& reported_percentiles() {
  static const std::vector<ReportedPercentile> list = {{50.0, "p50", "p50"},
                                                       {90.0, "p90", "p90"},
                                                       {99.0, "p99", "p99"},
                                                       {99.9, "p99_9", "p99.9"},
                                                       {99.99, "p99_99", "p99.99"}};
  return list;
}

}  // namespace sg
