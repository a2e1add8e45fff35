// The overhead model behind `streamgauge explain`: does what a run counted (locks taken, queue
// items, batches, record copies, threads started, hand-offs), multiplied by what each of those
// costs alone (the microbenches), add up to what the run measured over `direct`?
//
// Measured overhead of a cell = (ratio - 1) x baseline wall ns / records, from the cell's passes
// paired back to back with its direct baseline (the matrix's `summary.paired`: median of the
// per-pair ratios, its sign-test 95% interval, the median of the baseline's paired walls); a
// result without pairs falls back to (median wall - baseline's median wall) / records and has no
// interval. A cell whose interval contains 0 is "within noise": it has no overhead to explain
// and stays out of the per-strategy shares; so is a cell that runs threads of its own within the
// noise floor between processes (process_floor.h), where the run measured it. Predicted overhead =
// sum over components of count_per_record x unit_cost_ns, where unit costs are medians of Google
// Benchmark repetitions and counts come from the run's own counters (median over its samples). The
// unexplained remainder (measured - predicted) is shown as it is, negative included
// ("over-predicted").
//
// Counts are those of the *critical path*, and only what the strategy does beyond direct:
//   - per_record_lock, batch_lock: one thread, so everything is on the path. Records read from
//     a lent source cost what direct's own loop costs (no copies); with any other source direct
//     runs the same loop, so only the lock and the engine calls differ.
//   - lockless_stp: partitions run side by side, min(partitions, cores) at once, at the
//     machine's parallel capacity (microbench machine/parallel_engine: how much of N CPUs N busy
//     threads get); the path carries 1/capacity of the counts, and the baseline's work changes
//     by wall x (1/capacity - 1) ("parallel_work": negative where parallelism helps). A path
//     on one CPU with other CPUs busy beside it (adaptive's, streaming's) is slowed by what one
//     slot sees on average (machine/parallel_engine's slot benchmarks), not by the slowest.
//   - adaptive: a reader thread (read, copy, push) overlaps the workers (pop, engine, write).
//     Wall time follows the slower of the two: the model computes both paths and keeps the
//     longer one's components; the other thread's components are listed with count 0 (off the
//     critical path). Blocking waits (queue producer/consumer waits) are hand-offs on the path.
//   - streaming eager/lazy: a producer thread reads and runs the engine while the job thread
//     writes; the base work splits by the direct baseline's own Read + Engine phases, the longer
//     side is kept.
//     Blocking waits are the run's voluntary context switches beyond the baseline's.
//   - streaming spawnless: start-up only; the rest runs like direct.
//   - inject_work cells (a matrix's validation cells): rounds x records on the engine's path,
//     priced by work/injected; checked against the same cell without them (InjectedCheck).
// Records written on one core and read and freed on another (a materialized source's records in
// adaptive, the sql engine's output rows in streaming) cost the using path record_lines and
// remote_frees each, and the allocating path reused_blocks; an adaptive worker's pops that did not
// wait took a batch made while it worked on the last, priced as aged_records instead.
// Not modelled (it stays in the remainder): routing hashes (adaptive with several partitions),
// a shared source's count changed on two cores, scheduler interference on a loaded machine.
#pragma once

#include <iosfwd>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/analysis/benchmark_json.h"
#include "harness/analysis/overhead_components.h"
#include "harness/analysis/process_floor.h"
#include "harness/job/line_round_trip.h"

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
  double baseline_ns_per_record = 0;  // direct's, as measured beside it (the overhead's scale)
  std::vector<ComponentEstimate> components;
  double predicted_ns_per_record = 0;
  double unexplained_ns_per_record = 0;
  std::optional<double> explained_pct;  // none when the measured overhead is 0
  std::string critical_path;            // which thread the wall time follows, for threaded runs
  std::string group;  // the summary's key: strategy, mode, partitions, queue, source, hand-off
  // The measured overhead's 95% interval per record, from the paired passes (paired == false:
  // the result had none, so the cell's noise is unknown and it counts as above noise).
  bool paired = false;
  double measured_low_ns = 0, measured_high_ns = 0;
  bool within_noise = false;   // the interval contains 0: no overhead to explain
  // Or, for a cell that runs threads of its own, its overhead is within what the same work read
  // between processes (ProcessFloor): also within noise, and not an artifact though the matrix
  // may have flagged it as one.
  bool within_process_floor = false;
  double process_floor_ns = 0;  // that floor for this cell, ns per record (0: none measured)
  // The matrix's anomaly (matrix_result.h): a strategy that does direct's work plus more read
  // faster than direct beyond its interval. Its overhead is the method's error, not a cost to
  // explain: listed with it, and kept out of the shares like a cell within noise.
  std::string artifact;
  unsigned injected_work = 0;  // rounds per record a validation cell added (0: a plain cell)
  // Pairs whose cross-core probe fell outside the matrix's regime, left out of the measured
  // overhead (CrossCoreRegime).
  size_t pairs = 0, pairs_outside_regime = 0;
};

// The cross-core regime the matrix and its unit costs ran in, from the line round trip probed
// before each pair (harness/job/line_round_trip.h) and around each probed microbench repetition:
// the median of all those probes, both sides pooled. A host that moves vCPUs changes every cost of
// crossing cores; the model prices one regime only, so pairs probed outside
// [median / kBand, median x kBand] are left out of the measured overheads, and microbench
// repetitions outside it out of the unit costs (kBand: harness/job/line_round_trip.h says why
// 1.5). Pooled, because a matrix whose host moved the vCPUs for half its pairs would otherwise
// set the regime by itself, one that its unit costs never ran in.
struct CrossCoreRegime {
  static constexpr double kBand = kLineRegimeBand;
  double line_rt_ns = 0;  // 0: the matrix was not probed, and nothing is left out
  double low_ns = 0, high_ns = 0;
  size_t pairs = 0;          // probed pairs of the explained cells
  size_t pairs_outside = 0;  // of which outside the band
  size_t microbench_probes = 0;  // probes of microbench repetitions in the median
  // Microbenches priced with too few of their repetitions in the regime, and cells that had no
  // pair in it (measured over all their pairs).
  std::vector<std::string> notes;
  // The probed microbenches with too few repetitions in the regime, by name: what scripts/run
  // reads once more after a run (MicrobenchCosts::short_of_regime).
  std::vector<std::string> read_again;
};
// The regime of a matrix result and its microbenches: the median of every "line_round_trip_ns"
// of its cells' pairs and of the costs' probed repetitions (MicrobenchCosts::line_probes).
CrossCoreRegime cross_core_regime(const nlohmann::json& matrix, const MicrobenchCosts& costs);

// The injected-work validation: a cell with N rounds per record added against its twin without
// them. The model must predict the difference of their measured overheads within 10%.
struct InjectedCheck {
  std::string cell, twin;
  unsigned rounds = 0;
  // The model's whole prediction for the cell - its prediction for the twin, per record: the
  // injected rounds on the critical path, and what they change in the rest (which path is
  // critical, the waits that go, how the CPUs slow each other).
  double predicted_ns = 0;
  double measured_ns = 0;   // measured overhead of the cell - that of its twin, per record
  bool within_10pct = false;
};
std::vector<InjectedCheck> check_injected(const std::vector<ExplainRow>& rows);

// One strategy (a `group` of rows) over all scenarios: how much of its overhead the model
// explains. Shares sum over the cells above the noise floor only.
struct StrategySummary {
  std::string group;
  int cells = 0;
  int within_noise = 0;
  int within_process_floor = 0;  // of which within the floor between processes only
  int artifacts = 0;  // cells the matrix flagged as measurement artifacts (ExplainRow::artifact)
  int above_noise = 0;
  int within_20pct = 0;     // above-noise cells whose prediction is within +-20% of the measured
  // Sums over the above-noise cells, ns per record, by magnitude: a cell whose measured overhead
  // is negative (faster than direct) adds -measured and -predicted.
  double measured_ns = 0;
  double predicted_ns = 0;
  std::optional<double> explained_share;  // predicted / measured; none when nothing to explain
};

// The noise-floor rule: an overhead whose 95% interval [low, high] contains 0 is within noise.
bool within_noise_floor(double low_ns, double high_ns);
// Per group, in the order the groups first appear.
std::vector<StrategySummary> summarize(const std::vector<ExplainRow>& rows);

struct Explanation {
  std::string matrix;
  std::string microbench;
  std::vector<ExplainRow> rows;
  std::vector<std::string> not_explained;  // "cell: why" (no baseline, a peer, ...)
  std::vector<StrategySummary> summary;
  // Components whose microbench difference came out negative: priced at 0 and named here,
  // since a negative unit cost means the microbench measures the wrong thing.
  std::vector<std::string> unit_cost_problems;
  std::vector<InjectedCheck> injected_checks;
  CrossCoreRegime regime;
  ProcessFloor process_floor;  // not measured: cells are within noise by their interval only

  // The groups whose explained share lies outside [require, 2 - require] (0.9: 90-110%), or
  // with fewer than `cells_within` of their cells above noise predicted within +-20% (issue 19's
  // bar: 0.8), each as "group: why"; groups with every cell within noise have nothing to explain
  // and pass.
  std::vector<std::string> falling_short(double require, double cells_within = 0) const;

  nlohmann::json to_json() const;  // format "streamgauge-explain/3"
  void print(std::ostream& out) const;
};

// The one paragraph that says how `predicted` is computed (also in the JSON).
const char* overhead_model_method();
// The component table: name, benchmark, unit, counter, why; printed with the results.
void print_component_table(std::ostream& out);

// Explains every successful, non-direct, non-peer cell of a matrix result
// ("streamgauge-matrix-result/1"). Throws ExplainError for a wrong format, a missing benchmark
// (named), or a matrix where no cell has a baseline.
//
// `dropped_terms` names components the model leaves out (priced at 0 everywhere, critical paths
// included): the mutation check that a term pulls its weight, since the cells that need it must
// then fall short (`streamgauge explain --drop NAME`). Throws ExplainError for a name the model
// does not know. A measured `process_floor` puts the cells within it within noise too.
Explanation explain_matrix(const nlohmann::json& matrix, const MicrobenchCosts& costs,
                           const std::string& matrix_path, const std::string& microbench_dir,
                           const std::set<std::string>& dropped_terms = {},
                           const ProcessFloor& process_floor = {});
// Every component name the model can use, in the order the tables show them.
std::vector<std::string> model_term_names();

}  // namespace sg
