#include "harness/latency/latency_run.h"

#include <algorithm>
#include <deque>
#include <map>
#include <mutex>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "harness/latency/latency_writer.h"
#include "harness/latency/paced_reader.h"
#include "harness/strategies/job_parts.h"
#include "harness/strategies/partition_split.h"

namespace sg {
namespace {

// What the readers and writers of one run report into; deques keep every element in place.
struct Probe {
  std::mutex mutex;  // readers and writers may be made on several threads
  std::deque<SourceStats> sources;
  std::deque<LatencyHistogram> sinks;
  std::map<int, std::vector<SharedDataset>> splits;  // by partition count, made once
};

// The job's partition p of n, split as memory_reader_factory splits it.
SharedDataset partition_of(Probe& probe, const JobConfig& config, const JobInputs& inputs, int p,
                           int n) {
  if (n == 1) return inputs.dataset;
  std::vector<SharedDataset>& parts = probe.splits[n];
  if (parts.empty()) {
    if (job_partitioning(config, inputs) == Partitioning::ByKey) {
      parts = split_dataset(*inputs.dataset, n, SplitMode::KeyHash,
                            [&q = *inputs.query](const Record& r) { return q.partition_hash(r); });
    } else {
      parts = split_dataset(*inputs.dataset, n, SplitMode::RoundRobin);
    }
  }
  return parts[static_cast<size_t>(p)];
}

}  // namespace

LatencyRunResult run_latency(const Strategy& strategy, const JobConfig& config, JobInputs inputs,
                             const LatencyRunOptions& options) {
  if (!inputs.dataset) throw std::invalid_argument("a latency run needs its records in memory");
  auto schedule = std::make_shared<ReleaseSchedule>(inputs.dataset->records.size(), options.rate,
                                                    options.arrival, options.seed);
  auto probe = std::make_shared<Probe>();
  const JobInputs original = inputs;
  inputs.make_reader = [probe, schedule, config, original, linger = options.linger_ns,
                        clock = options.clock](int p, int n) {
    std::lock_guard lock(probe->mutex);
    SharedDataset part = partition_of(*probe, config, original, p, n);
    SourceStats& stats = probe->sources.emplace_back();
    return std::unique_ptr<DataReader>(
        new PacedReader(std::move(part), schedule, stats, linger, clock.get()));
  };

  inputs.make_writer = [probe, schedule, clock = options.clock, wrap = options.wrap_writer](int p) {
    std::unique_ptr<DataWriter> writer;
    {
      std::lock_guard lock(probe->mutex);
      writer = std::make_unique<LatencyWriter>(schedule, probe->sinks.emplace_back(), clock.get());
    }
    return wrap ? wrap(std::move(writer), p) : std::move(writer);
  };
  inputs.open_loop = true;

  LatencyRunResult out;
  out.run = strategy.run(config, inputs);
  out.offered_rate = schedule->rate();
  out.arrival = schedule->arrival();
  int64_t last_release = 0;
  for (const SourceStats& s : probe->sources) {
    out.records_released += s.released;
    out.max_backlog = std::max(out.max_backlog, s.max_backlog);
    out.release_lag.merge(s.release_lag);
    last_release = std::max(last_release, s.last_release_ns);
  }
  for (const LatencyHistogram& h : probe->sinks) out.latency.merge(h);
  if (schedule->start_ns() != 0 && last_release > schedule->start_ns()) {
    out.duration_ns = last_release - schedule->start_ns();
    out.achieved_rate =
        static_cast<double>(out.records_released - 1) * 1e9 / static_cast<double>(out.duration_ns);
  }
  return out;
}

nlohmann::json LatencyRunResult::to_json() const {
  nlohmann::json j;
  j["offered_rate"] = offered_rate;
  j["arrival"] = arrival_name(arrival);
  j["records_released"] = records_released;
  j["achieved_rate"] = achieved_rate;
  j["duration_ns"] = duration_ns;
  j["max_backlog"] = max_backlog;
  j["latency_ns"] = latency.to_json();
  j["release_lag_ns"] = release_lag.to_json();
  j["run"] = run.to_json();
  return j;
}

}  // namespace sg
