// The overhead model behind `streamgauge explain`: does what a run counted (locks taken, queue
// items, batches, record copies, threads started, hand-offs), multiplied by what each of those
// costs alone (the microbenches), add up to what the run measured over `direct`?
//
// Measured overhead of a cell = (median wall ns of the cell - median wall ns of its direct
// baseline cell) / records. Predicted overhead = sum over components of
// count_per_record x unit_cost_ns, where unit costs are medians of Google Benchmark repetitions
// and counts come from the run's own counters (median over its samples). The unexplained
// remainder (measured - predicted) is shown as it is, negative included ("over-predicted").
//
// Counts are those of the *critical path*, and only what the strategy does beyond direct:
//   - per_record_lock, batch_lock: one thread, so everything is on the path.
//   - lockless_stp: partitions run side by side; each partition's work is its share of the
//     counts, divided by min(partitions, cores); the engine work that parallelism takes off the
//     path is a negative component ("parallel_engine").
//   - adaptive: a reader thread (read, copy, push) overlaps the workers (pop, engine, write).
//     Wall time follows the slower of the two: the model computes both paths and keeps the
//     longer one's components; the other thread's components are listed with count 0 (off the
//     critical path). Blocking waits (queue producer/consumer waits) are hand-offs on the path.
//   - streaming eager/lazy: a producer thread runs the engine while the job thread writes; the
//     base work splits by the direct baseline's own Engine phase, the longer side is kept.
//     Blocking waits are the run's voluntary context switches beyond the baseline's.
//   - streaming spawnless: start-up only; the rest runs like direct.
// Not modelled (it stays in the remainder): cache misses from records crossing cores, routing
// hashes (adaptive with several partitions), scheduler interference on a loaded machine.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/analysis/benchmark_json.h"
#include "harness/analysis/overhead_components.h"

namespace sg {

struct ExplainRow {
  std::string cell;
  std::string scenario;
  std::string strategy;  // "streaming (eager)" style names are not used: the config says it
  std::string engine;
  std::string streaming_mode;  // streaming cells only
  size_t batch_size = 0;
  int partitions = 1;
  bool phase_timing = true;
  uint64_t records = 0;
  double measured_ns_per_record = 0;
  std::vector<ComponentEstimate> components;
  double predicted_ns_per_record = 0;
  double unexplained_ns_per_record = 0;
  std::optional<double> explained_pct;  // none when the measured overhead is 0
  std::string critical_path;            // which thread the wall time follows, for threaded runs
};

struct Explanation {
  std::string matrix;
  std::string microbench;
  std::vector<ExplainRow> rows;
  std::vector<std::string> not_explained;  // "cell: why" (no baseline, a peer, ...)

  nlohmann::json to_json() const;  // format "streamgauge-explain/1"
  void print(std::ostream& out) const;
};

// The one paragraph that says how `predicted` is computed (also in the JSON).
const char* overhead_model_method();
// The component table: name, benchmark, unit, counter, why; printed with the results.
void print_component_table(std::ostream& out);

// Explains every successful, non-direct, non-peer cell of a matrix result
// ("streamgauge-matrix-result/1"). Throws ExplainError for a wrong format, a missing benchmark
// (named), or a matrix where no cell has a baseline.
Explanation explain_matrix(const nlohmann::json& matrix, const MicrobenchCosts& costs,
                           const std::string& matrix_path, const std::string& microbench_dir);

}  // namespace sg
