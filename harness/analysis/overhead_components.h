// The overhead model's components (overhead_model.h): what a cell counted, and the table that
// says which benchmark prices which counter. The one place that maps counters to benchmarks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/analysis/benchmark_json.h"

namespace sg {

struct ComponentEstimate {
  std::string name;
  double count_per_record = 0;
  double unit_cost_ns = 0;
  std::string benchmark;  // a benchmark name, or "A - B" when the unit is a difference
  double predicted_ns_per_record = 0;
};

namespace overhead {

// The rounds per record of the injected-work microbench (bench_batch_loop's work/injected): its
// cost minus that of 0 rounds, over this many, is the price of one round.
constexpr unsigned kInjectedWorkBenchRounds = 400;

// The medians of one cell's samples, and its configuration.
struct CellCounts {
  std::string id, scenario, strategy, engine, queue, lock, streaming, writer_mode;
  std::string source = "lent";   // results from before the option read records lent
  std::string handoff = "move";  // adaptive's hand-off of a record: move, share or deep-copy
  std::string routing = "hash";  // adaptive's choice of partition: hash, round_robin, sticky
  bool pinned = false;           // threads pinned by role (pin_threads)
  unsigned injected_work = 0;    // rounds per record the matrix added (validation cells)
  size_t batch_size = 0;
  int partitions = 1;
  bool phase_timing = true;  // off: no clock reads at phase boundaries at all
  uint64_t records = 0;
  double wall_ns = 0;
  double records_read = 0, batches = 0, locks_taken = 0, rows_produced = 0;
  double items_pushed = 0, items_popped = 0, push_calls = 0, pop_calls = 0;
  double producer_waits = 0, consumer_waits = 0;
  double voluntary_switches = 0;
  // The job thread's Engine and Read (reading and decoding the source) phases, as shares of
  // the instrumented passes times the timed wall (read_cell; used for direct baselines).
  double engine_phase_ns = 0;
  double read_phase_ns = 0;
  size_t threads = 1;  // threads a pass ran, the calling one included (most over the samples)
  // Share of the records each partition (lockless_stp) or worker (adaptive) ran through its
  // engine, by partition index, median over the samples; empty where the result has no counts.
  std::vector<double> partition_shares;
  // Of the threads a pinned cell starts, the share that pins itself to another CPU than its
  // creator's and so moves there. Not read from the result: the model sets it from the
  // strategy's placement (thread_placement.h) before pricing "threads".
  double threads_moved_share = 0;
  // Whether the woken thread shares its waker's CPU, which the model knows from the placement
  // (not read from the result) when it prices "wakeups" of a pinned cell's crowded CPU.
  bool sleeper_beside_waker = false;
};

// One successful cell of a matrix result: its configuration and the medians of its samples.
CellCounts read_cell(const nlohmann::json& cell);

// The names of the table's components, in its order.
std::vector<std::string> component_names();

// Whether the results measured every benchmark of the named component's expression for this
// cell, or of one of its fallbacks: terms that older results lack are left out, not errors.
bool component_measured(const std::string& name, const CellCounts& cell,
                        const MicrobenchCosts& costs);

// `count` times the named component in the whole run, on the critical path: priced with the
// table's benchmark for this cell, per record over `records`. Throws ExplainError when the
// benchmark is missing, std::logic_error for a name not in the table.
ComponentEstimate price_component(const std::string& name, double count, const CellCounts& cell,
                                  const MicrobenchCosts& costs, double records);

}  // namespace overhead
}  // namespace sg
