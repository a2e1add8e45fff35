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

#include "harness/io/fingerprint_writer.h"
#include "harness/job/line_round_trip.h"
#include "harness/job/thread_placement.h"
#include "harness/matrix/cell_runner.h"
#include "harness/matrix/interruption.h"
#include "harness/matrix/pass_schedule.h"
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
  std::map<EngineKind, OutputFingerprint> fingerprint;  // the same output, as timed passes see it
};

std::string workload_key(const std::string& scenario, uint64_t records) {
  return fmt::format("{}#{}", scenario, records);
}

WriterFactory fingerprint_writers() {
  return [](int) -> std::unique_ptr<DataWriter> { return std::make_unique<FingerprintWriter>(); };
}

// Runs the baseline (direct) untimed, to get the digest (and, writing to the timed passes' sink,
// the fingerprint) that every pass of every strategy must reproduce.
// Injected work changes no output, so the reference runs without it.
RunResult reference_run(const Workload& w, EngineKind engine, bool fingerprint) {
  JobConfig config;
  config.engine = engine;
  config.phase_timing = false;
  JobInputs inputs;
  inputs.query = w.query;
  inputs.dataset = w.dataset;
  if (fingerprint) inputs.make_writer = fingerprint_writers();
  RunResult r = make_strategy(baseline_strategy())->run(config, inputs);
  if (!r.ok) {
    throw std::runtime_error(fmt::format("{}: the reference pass ({}, {}) failed: {}",
                                         w.scenario->name, baseline_strategy(),
                                         engine_kind_name(engine), r.error));
  }
  return r;
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

// A pass counts only when its output equals the reference (the full digest on checked passes,
// the fingerprint on timed and instrumented ones) and its counts are conserved.
class StrategyRunner final : public CellRunner {
 public:
  StrategyRunner(std::unique_ptr<Strategy> strategy, JobInputs inputs, const Digest& reference,
                 const OutputFingerprint& fingerprint)
      : strategy_(std::move(strategy)),
        checked_inputs_(std::move(inputs)),
        timed_inputs_(checked_inputs_),
        reference_(reference),
        fingerprint_(fingerprint) {
    timed_inputs_.make_writer = fingerprint_writers();
  }

  PassVerdict run_pass(CellResult& c, RunResult& out, PassKind kind) override {
    const Cell& cell = c.cell;
    const uint64_t refused_before = pin_refusals().count;
    JobConfig config = cell.config;
    config.phase_timing = kind == PassKind::Instrumented;
    out = strategy_->run(config, kind == PassKind::Checked ? checked_inputs_ : timed_inputs_);
    if (out.skipped) return {CellStatus::Skipped, out.error};
    if (cell.config.pin_threads) {
      const PinRefusals refused = pin_refusals();
      if (refused.count != refused_before)
        return failed(
            fmt::format("{} thread(s) could not be pinned, so this /pinned cell was not (last: {})",
                        refused.count - refused_before, refused.last));
    }
    if (!out.ok) return failed(out.error);
    if (kind == PassKind::Checked && !(out.digest == reference_)) {
      return failed(fmt::format("output differs from {}'s: got {}, expected {}",
                                baseline_strategy(), out.digest.to_string(),
                                reference_.to_string()));
    }
    if (kind != PassKind::Checked && !(out.fingerprint == fingerprint_)) {
      return failed(fmt::format("output differs from {}'s: got {}, expected {}",
                                baseline_strategy(), out.fingerprint.to_string(),
                                fingerprint_.to_string()));
    }
    if (out.records_read != out.records_processed || out.rows_written != out.rows_produced) {
      return failed(fmt::format(
          "counts not conserved: read {} processed {}, produced {} written {}", out.records_read,
          out.records_processed, out.rows_produced, out.rows_written));
    }
    return {};
  }

 private:
  static PassVerdict failed(std::string why) { return {CellStatus::Failed, std::move(why)}; }
  std::unique_ptr<Strategy> strategy_;
  JobInputs checked_inputs_;  // the default sink: a DigestWriter per writer
  JobInputs timed_inputs_;    // a FingerprintWriter per writer
  const Digest& reference_;
  const OutputFingerprint& fingerprint_;
};

// A peer times itself inside its own engine; its rows are checked against our reference.
class PeerRunner final : public CellRunner {
 public:
  explicit PeerRunner(const Workload& w) : w_(w) {}

  // A peer has one kind of pass: it times its own query and checks its rows every time.
  PassVerdict run_pass(CellResult& c, RunResult& out, PassKind) override {
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
  const unsigned work = options.inject_work + cell.injected_work;
  if (test_wrapper || work) {
    inputs.wrap_engine = [test_wrapper, work](std::unique_ptr<Engine> e, int partition) {
      e = with_injected_work(std::move(e), work);
      return test_wrapper ? test_wrapper(std::move(e), partition) : std::move(e);
    };
  }
  return inputs;
}

}  // namespace

void fail_cell(CellResult& c, PassVerdict v) {
  c.status = v.status;
  c.reason = std::move(v.reason);
  c.samples.clear();
  c.instrumented.clear();
  c.paired.reset();
}

MatrixResult run_matrix(const MatrixSpec& spec, const std::vector<Scenario>& scenarios,
                        const Environment& env, const MatrixRunOptions& options) {
  const auto t0 = Clock::now();
  MatrixResult result;
  result.environment = env;
  result.spec = spec;
  result.calibration = calibrate_instruments();

  // Compile every selected scenario's query against its generator's schema.
  std::vector<std::shared_ptr<const CompiledQuery>> queries(scenarios.size());
  for (size_t i = 0; i < scenarios.size(); ++i) {
    const Scenario& s = scenarios[i];
    if (std::find(spec.scenarios.begin(), spec.scenarios.end(), s.name) == spec.scenarios.end())
      continue;
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
      if (options.log)
        fmt::print(*options.log, "[matrix] generating {} x {} records\n", s.name, c.cell.records);
      w.scenario = &s;
      w.records = c.cell.records;
      w.query = queries[static_cast<size_t>(&s - scenarios.data())];
      w.dataset = std::make_shared<const Dataset>(generate_dataset(s.generator, c.cell.records));
    }
    EngineKind engine = c.cell.is_peer() ? EngineKind::Sql : c.cell.config.engine;
    if (!w.reference.count(engine)) {
      w.reference[engine] = reference_run(w, engine, false).digest;
      w.fingerprint[engine] = reference_run(w, engine, true).fingerprint;
    }
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
      pc.runner = std::make_unique<StrategyRunner>(
          make_strategy(c.cell.runner_name), strategy_inputs(c.cell, w, options),
          w.reference.at(c.cell.config.engine), w.fingerprint.at(c.cell.config.engine));
    }
    prepared.push_back(std::move(pc));
  }

  PassLedger ledger(options.journal, options.resume, options.log);
  ledger.begin(result, options.result_path, [&](const CellResult& c) {
    if (c.cell.is_peer()) return ExpectedOutput();  // a peer's pass carries no output of ours
    const Workload& w = workloads.at(workload_key(c.cell.scenario->name, c.cell.records));
    // Timed and instrumented passes (the only ones journaled) write to the fingerprint sink.
    return ExpectedOutput{Digest(), w.fingerprint.at(c.cell.config.engine)};
  });
  // An estimate: paired cells run until their interval is narrow enough or their budget spent.
  ProgressEstimate estimate;
  for (const PreparedCell& pc : prepared) {
    if (pc.result->status != CellStatus::Ok) continue;
    const RestoredPasses before = ledger.restored(*pc.result);
    const size_t planned = static_cast<size_t>(
        std::max(spec.warmup, 1) + (pc.result->cell.is_peer()
                                        ? spec.repetitions
                                        : 2 * spec.repetitions + spec.instrumented_repetitions));
    const size_t done = before.timed + 2 * before.pairs.size() + before.instrumented;
    estimate.plan(*pc.result, planned > done ? planned - done : 0);
  }
  double last_print = 0;
  PassScheduleHooks hooks;
  hooks.after_pass = [&](const PassDone& pass) {
    ledger.record(pass);
    estimate.pass_done(*pass.cell->result, pass.seconds);
    if (!options.progress) return;
    // Short runs print nothing; longer ones a line at most every 2 seconds.
    const double elapsed = seconds_since(t0);
    const bool last = estimate.done() == estimate.total();
    if (elapsed < 3 || (elapsed - last_print < 2 && !last)) return;
    last_print = elapsed;
    fmt::print(*options.progress, "[matrix] pass {}/~{} ({}) {}  elapsed {:.0f}s, {}\n",
               estimate.done(), std::max(estimate.total(), estimate.done()),
               pass_kind_name(pass.kind), pass.cell->result->cell.id(), elapsed, estimate.left());
  };
  if (options.callgrind_toggle) hooks.around_timed = [] { CALLGRIND_TOGGLE_COLLECT; };
  hooks.fixed_repetitions = options.callgrind_toggle;

  if (options.probe_line_round_trip) {
    if (options.line_probe) {
      hooks.before_pair = options.line_probe;
    } else {
      auto prober = std::make_shared<LineProber>();  // one partner for the whole run
      hooks.before_pair = [prober] { return prober->probe().ns; };
    }
  }
  hooks.after_pair = [&](const PreparedCell& pc, int pair, const RunResult& cell_run,
                         double baseline_ns, double spent_s, double line_rt_ns) {
    ledger.record_pair(*pc.result, pair, cell_run, baseline_ns, spent_s, line_rt_ns);
    estimate.pair_spent(*pc.result, spent_s);
  };
  hooks.pairing_started = [&](const PreparedCell& pc, double budget_s, double spent_s) {
    estimate.pairing_budget(*pc.result, budget_s);
    estimate.pair_spent(*pc.result, spent_s);
  };
  hooks.pairing_ended = [&](const PreparedCell& pc) { estimate.pairing_done(*pc.result); };
  hooks.stop_requested = [] { return stop_requested(); };
  hooks.restored = [&](const CellResult& c) { return ledger.restored(c); };
  // Our cells first, every peer after them: a peer's aftermath slows the cell timed next
  // (docs/design-notes.md#peers-run-after-our-cells). Peers time themselves, so lose nothing.
  std::vector<PreparedCell*> ours, peers;
  for (PreparedCell& pc : prepared) (pc.result->cell.is_peer() ? peers : ours).push_back(&pc);
  run_group_passes(ours, spec, result.calibration, hooks);
  if (!stop_requested()) run_group_passes(peers, spec, result.calibration, hooks);
  ledger.finish(result, stop_signal());
  result.elapsed_s = seconds_since(t0);
  return result;
}

}  // namespace sg
