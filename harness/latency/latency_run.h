// One open-loop latency pass of a strategy: the job's records released at an offered rate by
// paced readers (paced_reader.h), every output row's latency taken by latency writers
// (latency_writer.h), one histogram per writer merged at the end. The strategy runs unchanged:
// the run swaps its sources and sinks at set-up, so its throughput passes pay nothing for this.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include <nlohmann/json_fwd.hpp>

#include "harness/job/latency_histogram.h"
#include "harness/latency/latency_clock.h"
#include "harness/latency/release_schedule.h"
#include "harness/strategies/strategy.h"

namespace sg {

struct LatencyRunOptions {
  double rate = 0;  // offered records/s
  Arrival arrival = Arrival::Constant;
  uint64_t seed = 1;      // Poisson gaps
  int64_t linger_ns = 0;  // see PacedReader: wait up to this long for a full batch
  // The clock the readers wait on and the writers read; null: the steady clock. Tests inject
  // virtual time (latency_clock.h).
  std::shared_ptr<LatencyClock> clock;
  // Optional: decorates each latency writer (tests put a stalling sink in front of it).
  std::function<std::unique_ptr<DataWriter>(std::unique_ptr<DataWriter>, int partition)>
      wrap_writer;
};

struct LatencyRunResult {
  RunResult run;  // the strategy's own result: counts, digest (the output check), phases
  double offered_rate = 0;
  Arrival arrival = Arrival::Constant;
  uint64_t records_released = 0;
  // Records released after the first, over the time from the start to the last release: equals
  // the offered rate when the source kept its schedule.
  double achieved_rate = 0;
  int64_t duration_ns = 0;       // start to last release
  uint64_t max_backlog = 0;      // largest of any reader's (records due, still unreleased)
  LatencyHistogram latency;      // per output row, merged over writers
  LatencyHistogram release_lag;  // per release, merged over readers: the pacing's accuracy

  nlohmann::json to_json() const;
};

LatencyRunResult run_latency(const Strategy& strategy, const JobConfig& config, JobInputs inputs,
                             const LatencyRunOptions& options);

}  // namespace sg
