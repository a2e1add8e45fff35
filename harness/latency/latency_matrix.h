// A latency matrix file (scenarios/matrix/latency.toml): scenarios x strategies x batch sizes x
// linger times, each cell a `streamgauge latency` sweep over the same offered rates. scripts/run
// runs latency.toml and latency_linger.toml.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "harness/latency/latency_sweep.h"

namespace sg {

struct LatencyCell {
  const Scenario* scenario = nullptr;
  LatencySweepSpec spec;
};

struct LatencyMatrix {
  std::string name;
  std::string description;
  std::vector<LatencyCell> cells;
};

// Keys: name, description, scenarios, strategies, rates, arrival, batch_size or batch_sizes (a
// list: a dimension), partitions, linger_us (a list: a dimension), repetitions, duration_s,
// max_records, peak_records, peak_repetitions, p99_bound_ms, pin_threads, and [quick] overriding
// the sizes. Throws ConfigError naming the file, line and key on a bad or unknown key or name.
LatencyMatrix parse_latency_matrix(std::string_view text, const std::string& name,
                                   const std::vector<Scenario>& scenarios, bool quick);
LatencyMatrix load_latency_matrix(const std::filesystem::path& file,
                                  const std::vector<Scenario>& scenarios, bool quick);

}  // namespace sg
