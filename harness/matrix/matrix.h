// A matrix file lists scenarios x strategies x engines x batch sizes x partition counts x queue
// kinds x record counts, with repetitions and warm-up. Expanding it gives cells. A strategy gets
// cells only along the dimensions it reads (Strategy::settings()); for one it ignores it runs once,
// on one partition or with the first value listed. A cell the strategy rejects for a setting it
// reads (a ROWS window without PARTITION BY on 4 partitions) stays listed as skipped, with the
// strategy's own reason, never dropped.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "harness/job/job.h"
#include "harness/workload/scenario.h"

namespace sg {

struct MatrixSpec {
  std::string name;
  std::string description;
  std::filesystem::path file;
  std::vector<std::string> scenarios;   // names, "*" expanded
  std::vector<std::string> strategies;  // names, "*" expanded
  std::vector<EngineKind> engines;
  std::vector<size_t> batch_sizes;
  std::vector<int> partitions;
  // Each of these four applies to the strategies that read it; the others run on one partition,
  // or with the first value listed.
  std::vector<QueueKind> queues;
  std::vector<StreamingMode> streaming_modes{StreamingMode::Eager};
  // Records per queue (adaptive) or the channel's worth (streaming).
  std::vector<size_t> queue_capacities{JobConfig{}.queue_capacity};
  // Phase timing on and/or off: comparing the two measures what timing the phases costs.
  std::vector<bool> phase_timings{true};
  // How readers end the stream: nullopt is the end marker; a rule ends it by empty reads. Read by
  // the strategies that read through a DataReader.
  std::vector<std::optional<EmptyReadsEnd>> end_of_stream{std::nullopt};
  // Where passes read records from (harness/job/source_kind.h); every strategy reads it, and a
  // cell is compared with direct on the same source.
  std::vector<SourceKind> sources{SourceKind::Lent};
  // How records cross threads (harness/job/handoff.h); read by the strategies that hand off.
  std::vector<Handoff> handoffs{Handoff::Move};
  // Rounds of injected work per record (harness/workload/injected_work.h) in every strategy but
  // direct, whose cells stay at 0 and stay the baselines: the overhead model's validation that a
  // known added cost is predicted (`inject_work = [0, 400]`).
  std::vector<unsigned> injected_work{0};
  // Record counts; 0 means the scenario's default `records`. `record_sweep` adds each scenario's
  // own `record_counts` (startup_small_results: 10K, 100K, 1M).
  std::vector<uint64_t> records;
  bool record_sweep = false;
  std::vector<std::string> peers;  // "sqlite", "duckdb"; "sqlite-final" etc. do less work
  // Settings every cell starts from (lock kind, routing, writer mode, pinning); the dimensions
  // above then set engine, batch size, partitions, queue, streaming mode, queue capacity and
  // phase timing over them.
  JobConfig base;
  // The minimum of timed repetitions (pairs, for a cell with a direct baseline; paired_schedule.h).
  int repetitions = 5;
  int warmup = 1;  // checked passes per cell (at least one runs): full digest, not timed
  // Pairs are added until the ratio's 95% interval has at most this half-width (a fraction of
  // the ratio), or the cell has spent cell_budget_s seconds of passes (0: the minimum only).
  double target_half_width = 0.03;
  // And at most this fraction of the overhead |ratio - 1| (0: no such target; paired_schedule.h).
  double target_overhead_half_width = 0;
  double cell_budget_s = 5;
  // Passes per cell with phase timing on: the phase breakdown, apart from the headline figure.
  int instrumented_repetitions = 3;
  bool quick = false;  // the [quick] overrides were applied
};

// Reads a matrix file. With `quick`, the file's [quick] table overrides what it names. Unknown
// scenario or strategy names are errors that list the known ones.
MatrixSpec load_matrix(const std::filesystem::path& file, const std::vector<Scenario>& scenarios,
                       bool quick);
MatrixSpec parse_matrix(std::string_view text, const std::string& name,
                        const std::vector<Scenario>& scenarios, bool quick);

// What runs a cell: one of our strategies, or a peer engine (SQLite, DuckDB; batch SQL).
enum class RunnerKind { Strategy, Peer };

struct Cell {
  size_t index = 0;
  const Scenario* scenario = nullptr;
  RunnerKind runner = RunnerKind::Strategy;
  std::string runner_name;  // the strategy's or the peer's name
  JobConfig config;
  uint64_t records = 0;
  std::optional<std::string> skip_reason;
  bool names_queue = false;      // the id names the queue (strategies that read it)
  bool names_streaming = false;  // the id names the streaming mode (strategies that read it)
  bool names_capacity = false;   // the id names the queue capacity (when the matrix varies it)
  unsigned injected_work = 0;    // rounds per record added to the engine ("/w<N>" in the id)

  bool is_peer() const { return runner == RunnerKind::Peer; }
  // "s0_pure_select/batch_lock/sql/b1000/p1/n1000000" (+ "/q<queue>" for adaptive, "/c<capacity>"
  // where the matrix lists more than one queue capacity).
  std::string id() const;
  // The baseline cell this one is compared with: the baseline strategy (direct) on one
  // partition, same scenario, engine, batch size, records.
  std::string baseline_id() const;
};

// Expands the spec in a stable order. `queries[i]` is scenarios[i]'s compiled query: each
// strategy's own unsupported() decides, from it, which cells are skipped and why.
std::vector<Cell> expand_matrix(const MatrixSpec& spec, const std::vector<Scenario>& scenarios,
                                const std::vector<std::shared_ptr<const CompiledQuery>>& queries);

// The dimensions this spec varies (partitions other than 1, more than one queue, streaming mode
// or queue capacity) that `strategy` ignores, so got one cell for: "partitions", "queue".
std::vector<std::string> ignored_dimensions(const MatrixSpec& spec, const std::string& strategy);

}  // namespace sg
