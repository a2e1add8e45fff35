#include "harness/matrix/calibration.h"

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/io/digest_writer.h"
#include "harness/io/fingerprint_writer.h"
#include "harness/job/run_stats.h"
#include "harness/job/statistics.h"

namespace sg {
namespace {

constexpr int kRounds = 5;

template <class F>
double median_ns_per_item(size_t items, F&& run_once) {
  std::vector<double> per_item;
  for (int round = 0; round < kRounds; ++round) {
    const uint64_t t0 = PhaseClock::now_ns();
    run_once();
    per_item.push_back(double(PhaseClock::now_ns() - t0) / double(items));
  }
  return median(per_item);
}

// Rows shaped like a GROUP BY's output: a short string key, counts, sums, an average.
std::vector<RecordPtr> sample_rows(size_t n) {
  std::vector<RecordPtr> rows;
  rows.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    RecordMeta meta;
    meta.key_hash = 0x9e3779b97f4a7c15ULL * (i % 1000 + 1);
    rows.push_back(RecordPtr::make(
        {Value::string("SYM" + std::to_string(i % 1000)), Value::integer(int64_t(i)),
         Value::integer(int64_t(i * 3)), Value::floating(double(i) / 7)},
        meta));
  }
  return rows;
}

}  // namespace

Calibration calibrate_instruments() {
  Calibration c;
  constexpr size_t kCharges = 100'000;
  c.ns_per_charge = median_ns_per_item(kCharges, [] {
    ThreadMeter meter("calibration", true);
    uint64_t since = meter.now();
    for (size_t i = 0; i < kCharges; ++i) meter.charge(Phase::Engine, since);
    (void)meter.finish();
  });
  constexpr size_t kCpuReads = 20'000;
  c.ns_per_cpu_read = median_ns_per_item(kCpuReads, [] {
    volatile uint64_t sink = 0;
    for (size_t i = 0; i < kCpuReads; ++i) sink = sink + PhaseClock::thread_cpu_ns();
  });
  const std::vector<RecordPtr> rows = sample_rows(4096);
  constexpr int kPasses = 25;
  const size_t items = rows.size() * kPasses;
  c.fingerprint_ns_per_row = median_ns_per_item(items, [&] {
    FingerprintWriter w;
    for (int p = 0; p < kPasses; ++p) w.write(rows);
  });
  c.digest_ns_per_row = median_ns_per_item(items, [&] {
    DigestWriter w;
    for (int p = 0; p < kPasses; ++p) w.write(rows);
  });
  return c;
}

nlohmann::json Calibration::to_json() const {
  return {{"ns_per_phase_charge", ns_per_charge},
          {"ns_per_cpu_clock_read", ns_per_cpu_read},
          {"timed_sink_ns_per_row", fingerprint_ns_per_row},
          {"checked_sink_ns_per_row", digest_ns_per_row},
          {"method",
           "median of 5 rounds at run start: 100,000 ThreadMeter charges of short intervals "
           "(a wall clock read each), 20,000 CPU clock reads; 25 x 4,096 rows of 4 fields into "
           "each sink"}};
}

}  // namespace sg
