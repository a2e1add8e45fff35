#include "harness/matrix/matrix_runner.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <random>
#include <set>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <valgrind/callgrind.h>

#include "harness/job/thread_placement.h"
#include "harness/matrix/interruption.h"
#include "harness/matrix/progress_estimate.h"
#include "harness/peers/peer.h"
#include "harness/strategies/job_parts.h"
#include "harness/strategies/source_readers.h"
#include "harness/strategies/strategy.h"
#include "harness/workload/injected_work.h"
#include "harness/workload/memory_estimate.h"

namespace sg {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string digest_hex(const Digest& d) {
  return fmt::format("{:016x}{:016x}", d.unordered_checksum(), d.keyed_checksum());
}

// Everything one (scenario, record count) needs, prepared before any timing.
struct Workload {
  const Scenario* scenario = nullptr;
  uint64_t records = 0;
  std::shared_ptr<const CompiledQuery> query;
  SharedDataset dataset;
  std::map<EngineKind, Digest> reference;  // the baseline's output on this data, per engine
};

std::string workload_key(const std::string& scenario, uint64_t records) {
  return fmt::format("{}#{}", scenario, records);
}

// Runs the baseline (direct) once, untimed, to get the digest every pass of every strategy must
// reproduce.
// Injected work changes no output, so the reference runs without it.
Digest reference_digest(const Workload& w, EngineKind engine) {
  JobConfig config;
  config.engine = engine;
  config.phase_timing = false;
  JobInputs inputs;
  inputs.query = w.query;
  inputs.dataset = w.dataset;
  RunResult r = make_strategy(baseline_strategy())->run(config, inputs);
  if (!r.ok) {
    throw std::runtime_error(fmt::format("{}: the reference pass ({}, {}) failed: {}",
                                         w.scenario->name, baseline_strategy(),
                                         engine_kind_name(engine), r.error));
  }
  return r.digest;
}

// Checks a scenario's absolute expectations (rows, digest) against the SQL reference.
std::optional<std::string> check_expectations(const Workload& w) {
  const ScenarioCheck& check = w.scenario->check;
  auto it = w.reference.find(EngineKind::Sql);
  if (it == w.reference.end()) return std::nullopt;
  if (check.expected_rows && *check.expected_rows != it->second.count()) {
    return fmt::format("{}: expected {} output rows, {} produced {}", w.scenario->file.string(),
                       *check.expected_rows, baseline_strategy(), it->second.count());
  }
  if (check.expected_digest && *check.expected_digest != digest_hex(it->second)) {
    return fmt::format("{}: expected digest {}, {} produced {}", w.scenario->file.string(),
                       *check.expected_digest, baseline_strategy(), digest_hex(it->second));
  }
  return std::nullopt;
}

constexpr uint64_t kOrderSeed = 0x6f72646572;  // "order": the timed passes' shuffle

// One pass's verdict: Ok, or the cell is Skipped (it cannot run here) or Failed, with the reason.
struct Verdict {
  CellStatus status = CellStatus::Ok;
  std::string reason;
};

// What runs a cell's passes: one of our strategies, or a peer.
class CellRunner {
 public:
  virtual ~CellRunner() = default;
  // Fills `out` with the pass's result when it counts.
  virtual Verdict run_pass(CellResult& c, RunResult& out) = 0;
};

// A pass counts only when its digest equals the reference and its counts are conserved.
class StrategyRunner final : public CellRunner {
 public:
  StrategyRunner(std::unique_ptr<Strategy> strategy, JobInputs inputs, const Digest& reference)
      : strategy_(std::move(strategy)), inputs_(std::move(inputs)), reference_(reference) {}

  Verdict run_pass(CellResult& c, RunResult& out) override {
    const Cell& cell = c.cell;
    const uint64_t refused_before = pin_refusals().count;
    out = strategy_->run(cell.config, inputs_);
    if (out.skipped) return {CellStatus::Skipped, out.error};
    if (cell.config.pin_threads) {
      const PinRefusals refused = pin_refusals();
      if (refused.count != refused_before)
        return failed(
            fmt::format("{} thread(s) could not be pinned, so this /pinned cell was not (last: {})",
                        refused.count - refused_before, refused.last));
    }
    if (!out.ok) return failed(out.error);
    if (!(out.digest == reference_)) {
      return failed(fmt::format("output differs from {}'s: got {}, expected {}",
                                baseline_strategy(), out.digest.to_string(),
                                reference_.to_string()));
    }
    if (out.records_read != out.records_processed || out.rows_written != out.rows_produced) {
      return failed(fmt::format(
          "counts not conserved: read {} processed {}, produced {} written {}", out.records_read,
          out.records_processed, out.rows_produced, out.rows_written));
    }
    return {};
  }

 private:
  static Verdict failed(std::string why) { return {CellStatus::Failed, std::move(why)}; }
  std::unique_ptr<Strategy> strategy_;
  JobInputs inputs_;
  const Digest& reference_;
};

// A peer times itself inside its own engine; its rows are checked against our reference.
class PeerRunner final : public CellRunner {
 public:
  explicit PeerRunner(const Workload& w) : w_(w) {}

  Verdict run_pass(CellResult& c, RunResult& out) override {
    const Cell& cell = c.cell;
    PeerRun peer = run_peer(cell.runner_name, *cell.scenario, *w_.query, *w_.dataset,
                            w_.reference.at(EngineKind::Sql));
    if (peer.status == PeerStatus::Unavailable) return {CellStatus::Skipped, peer.reason};
    c.peer_sql = peer.sql;
    c.peer_timed = peer.timed;
    c.peer_check = peer.check;
    c.peer_mode = peer.mode;
    c.peer_work = peer.work;
    if (peer.status == PeerStatus::Failed) return {CellStatus::Failed, peer.reason};
    out = RunResult();
    out.strategy = cell.runner_name;
    out.wall_ns = peer.query_ns;
    out.rows_produced = out.rows_written = peer.rows;
    out.records_read = out.records_processed = cell.records;
    return {};
  }

 private:
  const Workload& w_;
};

struct PreparedCell {
  CellResult* result;
  std::unique_ptr<CellRunner> runner;
};

// A strategy cell's inputs: the data split into partitions now, not inside a timed pass.
JobInputs strategy_inputs(const Cell& cell, const Workload& w, const MatrixRunOptions& options) {
  JobInputs inputs;
  inputs.query = w.query;
  inputs.dataset = w.dataset;
  inputs.make_reader = source_reader_factory(cell.config.source, w.dataset,
                                             job_partitioning(cell.config, inputs), w.query);
  inputs.make_reader(0, cell.config.partitions);
  EngineWrapper test_wrapper =
      cell.runner_name != baseline_strategy() ? options.wrap_engine : nullptr;
  const unsigned work = options.inject_work;
  if (test_wrapper || work) {
    inputs.wrap_engine = [test_wrapper, work](std::unique_ptr<Engine> e, int partition) {
      e = with_injected_work(std::move(e), work);
      return test_wrapper ? test_wrapper(std::move(e), partition) : std::move(e);
    };
  }
  return inputs;
}

void fail_cell(CellResult& c, Verdict v) {
  c.status = v.status;
  c.reason = std::move(v.reason);
  c.samples.clear();
}

}  // namespace

MatrixResult run_matrix(const MatrixSpec& spec, const std::vector<Scenario>& scenarios,
                        const Environment& env, const MatrixRunOptions& options) {
  const auto t0 = Clock::now();
  MatrixResult result;
  result.environment = env;
  result.spec = spec;

  // Compile every selected scenario's query against its generator's schema.
  std::vector<std::shared_ptr<const CompiledQuery>> queries(scenarios.size());
  for (size_t i = 0; i < scenarios.size(); ++i) {
    const Scenario& s = scenarios[i];
    if (std::find(spec.scenarios.begin(), spec.scenarios.end(), s.name) == spec.scenarios.end()) continue;
    try {
      queries[i] = CompiledQuery::compile(s.sql, Generator(s.generator).schema());
    } catch (const SqlError& e) {
      throw ConfigError(fmt::format("{}: sql: {}", s.file.string(), e.what()));
    }
  }

  std::vector<Cell> cells = expand_matrix(spec, scenarios, queries);
  result.cells.reserve(cells.size());
  for (Cell& c : cells) {
    CellResult cr;
    cr.cell = std::move(c);
    if (cr.cell.skip_reason) {
      cr.status = CellStatus::Skipped;
      cr.reason = *cr.cell.skip_reason;
    }
    result.cells.push_back(std::move(cr));
  }

  // Data that cannot fit in memory is refused, with its figures, before any is generated.
  std::vector<DatasetRequest> datasets;
  std::set<std::string> requested;
  for (const CellResult& c : result.cells) {
    if (c.status == CellStatus::Ok &&
        requested.insert(workload_key(c.cell.scenario->name, c.cell.records)).second)
      datasets.push_back({c.cell.scenario->name, &c.cell.scenario->generator, c.cell.records});
  }
  check_datasets_fit(datasets, available_memory());

  // Data and references, before any timing.
  std::map<std::string, Workload> workloads;
  for (CellResult& c : result.cells) {
    if (c.status != CellStatus::Ok) continue;
    const Scenario& s = *c.cell.scenario;
    Workload& w = workloads[workload_key(s.name, c.cell.records)];
    if (!w.dataset) {
      if (options.log) fmt::print(*options.log, "[matrix] generating {} x {} records\n", s.name, c.cell.records);
      w.scenario = &s;
      w.records = c.cell.records;
      w.query = queries[static_cast<size_t>(&s - scenarios.data())];
      w.dataset = std::make_shared<const Dataset>(generate_dataset(s.generator, c.cell.records));
    }
    EngineKind engine = c.cell.is_peer() ? EngineKind::Sql : c.cell.config.engine;
    if (!w.reference.count(engine)) w.reference[engine] = reference_digest(w, engine);
  }
  for (CellResult& c : result.cells) {
    if (c.status != CellStatus::Ok) continue;
    const Workload& w = workloads.at(workload_key(c.cell.scenario->name, c.cell.records));
    if (auto bad = check_expectations(w))
      fail_cell(c, {CellStatus::Failed, "scenario check: " + *bad});
  }

  std::vector<PreparedCell> prepared;
  for (CellResult& c : result.cells) {
    if (c.status != CellStatus::Ok) continue;
    const Workload& w = workloads.at(workload_key(c.cell.scenario->name, c.cell.records));
    PreparedCell pc{&c, nullptr};
    if (c.cell.is_peer()) {
      pc.runner = std::make_unique<PeerRunner>(w);
    } else {
      pc.runner = std::make_unique<StrategyRunner>(make_strategy(c.cell.runner_name),
                                                   strategy_inputs(c.cell, w, options),
                                                   w.reference.at(c.cell.config.engine));
    }
    prepared.push_back(std::move(pc));
  }

  PassLedger ledger(options.journal, options.resume, options.log);
  ledger.begin(result, options.result_path, [&](const CellResult& c) {
    if (c.cell.is_peer()) return Digest();  // a peer's pass carries no digest of ours
    return workloads.at(workload_key(c.cell.scenario->name, c.cell.records))
        .reference.at(c.cell.config.engine);
  });
  ProgressEstimate estimate;
  for (const PreparedCell& pc : prepared) {
    if (pc.result->status != CellStatus::Ok || ledger.complete(*pc.result, spec.repetitions))
      continue;
    estimate.plan(*pc.result, static_cast<size_t>(spec.warmup + spec.repetitions) -
                                  pc.result->samples.size());
  }
  double last_print = 0;
  auto progress = [&](const PreparedCell& pc, const char* what, Clock::time_point pass_start) {
    estimate.pass_done(*pc.result, seconds_since(pass_start));
    if (!options.progress) return;
    // Short runs print nothing; longer ones a line at most every 2 seconds, and the last pass.
    const double elapsed = seconds_since(t0);
    const bool last = estimate.done() == estimate.total();
    if (elapsed < 3 || (elapsed - last_print < 2 && !last)) return;
    last_print = elapsed;
    fmt::print(*options.progress, "[matrix] pass {}/{} ({}) {}  elapsed {:.0f}s, {}\n",
               estimate.done(), estimate.total(), what, pc.result->cell.id(), elapsed,
               estimate.left());
  };

  // Our cells first, every peer after them: a peer's aftermath slows the cell timed next
  // (docs/design-notes.md#peers-run-after-our-cells). Peers time themselves, so lose nothing.
  const auto first_peer =
      std::stable_partition(prepared.begin(), prepared.end(),
                            [](const PreparedCell& pc) { return !pc.result->cell.is_peer(); });
  auto run_group = [&](std::vector<PreparedCell>::iterator begin,
                       std::vector<PreparedCell>::iterator end) {
    // Warm-up passes: checked, not recorded.
    for (int w = 0; w < spec.warmup; ++w) {
      for (auto pc = begin; pc != end; ++pc) {
        if (pc->result->status != CellStatus::Ok || ledger.complete(*pc->result, spec.repetitions))
          continue;
        if (stop_requested()) return;
        const auto pass_start = Clock::now();
        RunResult r;
        Verdict v = pc->runner->run_pass(*pc->result, r);
        ledger.record(*pc->result, -1, v.status, v.reason, nullptr);
        if (v.status != CellStatus::Ok) fail_cell(*pc->result, std::move(v));
        progress(*pc, "warm-up", pass_start);
      }
    }
    // Timed repetitions, interleaved across the group's cells, in a new shuffled order each
    // repetition (fixed seeds: the same order on every run), so that a neighbour's after-effects
    // show as spread, not bias (docs/design-notes.md#timed-repetitions-shuffled).
    std::vector<std::vector<PreparedCell>::iterator> order;
    for (auto pc = begin; pc != end; ++pc) order.push_back(pc);
    for (int rep = 0; rep < spec.repetitions; ++rep) {
      std::mt19937_64 shuffle_rng(kOrderSeed + static_cast<uint64_t>(rep));
      std::shuffle(order.begin(), order.end(), shuffle_rng);
      for (auto pc : order) {
        if (pc->result->status != CellStatus::Ok || ledger.restored(*pc->result, rep)) continue;
        if (stop_requested()) return;
        const auto pass_start = Clock::now();
        RunResult r;
        if (options.callgrind_toggle) CALLGRIND_TOGGLE_COLLECT;
        Verdict v = pc->runner->run_pass(*pc->result, r);
        if (options.callgrind_toggle) CALLGRIND_TOGGLE_COLLECT;
        if (v.status == CellStatus::Failed)
          v.reason = fmt::format("repetition {}: {}", rep + 1, v.reason);
        ledger.record(*pc->result, rep, v.status, v.reason, &r);
        if (v.status != CellStatus::Ok) {
          fail_cell(*pc->result, std::move(v));
        } else {
          pc->result->samples.push_back(std::move(r));
        }
        progress(*pc, "timed", pass_start);
      }
    }
  };
  run_group(prepared.begin(), first_peer);
  if (!stop_requested()) run_group(first_peer, prepared.end());
  ledger.finish(result, stop_signal());
  result.elapsed_s = seconds_since(t0);
  return result;
}

}  // namespace sg
