#include "harness/matrix/matrix_runner.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <random>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <valgrind/callgrind.h>

#include "harness/workload/injected_work.h"
#include "harness/strategies/job_parts.h"
#include "harness/peers/peer.h"
#include "harness/strategies/strategy.h"
#include "harness/job/thread_placement.h"

namespace sg {

const char* cell_status_name(CellStatus s) {
  switch (s) {
    case CellStatus::Ok: return "ok";
    case CellStatus::Skipped: return "skipped";
    case CellStatus::Failed: return "failed";
  }
  return "?";
}

static std::vector<double> sample_values(const CellResult& c, double (*f)(const RunResult&, uint64_t)) {
  std::vector<double> v;
  for (const RunResult& r : c.samples) v.push_back(f(r, c.cell.records));
  return v;
}

Summary CellResult::throughput() const {
  auto v = sample_values(*this, [](const RunResult& r, uint64_t n) {
    return r.wall_ns ? static_cast<double>(n) * 1e9 / static_cast<double>(r.wall_ns) : 0.0;
  });
  return summarize(v);
}

Summary CellResult::us_per_record() const {
  auto v = sample_values(*this, [](const RunResult& r, uint64_t n) {
    return n ? static_cast<double>(r.wall_ns) / 1e3 / static_cast<double>(n) : 0.0;
  });
  return summarize(v);
}

double CellResult::median_cpu_ns() const {
  auto v = sample_values(*this, [](const RunResult& r, uint64_t) { return double(r.cpu_ns()); });
  return median(v);
}

size_t MatrixResult::failed() const {
  size_t n = 0;
  for (const CellResult& c : cells) n += c.status == CellStatus::Failed;
  return n;
}

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
  std::map<EngineKind, Digest> reference;  // direct's output on this data, per engine
};

std::string workload_key(const std::string& scenario, uint64_t records) {
  return fmt::format("{}#{}", scenario, records);
}

// Runs direct once, untimed, to get the digest every pass of every strategy must reproduce.
// Injected work changes no output, so the reference runs without it.
Digest reference_digest(const Workload& w, EngineKind engine) {
  JobConfig config;
  config.engine = engine;
  config.phase_timing = false;
  JobInputs inputs;
  inputs.query = w.query;
  inputs.dataset = w.dataset;
  RunResult r = make_strategy("direct")->run(config, inputs);
  if (!r.ok) {
    throw std::runtime_error(fmt::format("{}: the reference pass (direct, {}) failed: {}",
                                         w.scenario->name, engine_kind_name(engine), r.error));
  }
  return r.digest;
}

// Checks a scenario's absolute expectations (rows, digest) against the SQL reference.
std::optional<std::string> check_expectations(const Workload& w) {
  const ScenarioCheck& check = w.scenario->check;
  auto it = w.reference.find(EngineKind::Sql);
  if (it == w.reference.end()) return std::nullopt;
  if (check.expected_rows && *check.expected_rows != it->second.count()) {
    return fmt::format("{}: expected {} output rows, direct produced {}", w.scenario->file.string(),
                       *check.expected_rows, it->second.count());
  }
  if (check.expected_digest && *check.expected_digest != digest_hex(it->second)) {
    return fmt::format("{}: expected digest {}, direct produced {}", w.scenario->file.string(),
                       *check.expected_digest, digest_hex(it->second));
  }
  return std::nullopt;
}

constexpr uint64_t kOrderSeed = 0x6f72646572;  // "order": the timed passes' shuffle

struct PreparedCell {
  CellResult* result;
  Workload* workload;
  std::unique_ptr<Strategy> strategy;
  JobInputs inputs;
};

// One pass of a cell. Returns the failure, if any; a pass counts only when its digest equals the
// reference and its counts are conserved.
std::optional<std::string> run_pass(PreparedCell& pc, RunResult& out) {
  const Cell& cell = pc.result->cell;
  if (cell.peer) {
    PeerRun peer = run_peer(cell.strategy, *cell.scenario, *pc.workload->query,
                            *pc.workload->dataset, pc.workload->reference.at(EngineKind::Sql));
    if (!peer.available) return "unavailable: " + peer.reason;
    pc.result->peer_sql = peer.sql;
    pc.result->peer_timed = peer.timed;
    pc.result->peer_check = peer.check;
    if (!peer.ok) return peer.reason;
    out = RunResult();
    out.strategy = cell.strategy;
    out.wall_ns = peer.query_ns;
    out.rows_produced = out.rows_written = peer.rows;
    out.records_read = out.records_processed = cell.records;
    return std::nullopt;
  }
  const uint64_t refused_before = pin_refusals().count;
  out = pc.strategy->run(cell.config, pc.inputs);
  if (out.skipped) return "skipped: " + out.error;
  if (cell.config.pin_threads) {
    const PinRefusals refused = pin_refusals();
    if (refused.count != refused_before)
      return fmt::format("{} thread(s) could not be pinned, so this /pinned cell was not (last: {})",
                         refused.count - refused_before, refused.last);
  }
  if (!out.ok) return out.error;
  const Digest& ref = pc.workload->reference.at(cell.config.engine);
  if (!(out.digest == ref)) {
    return fmt::format("output differs from direct's: got {}, expected {}", out.digest.to_string(),
                       ref.to_string());
  }
  if (out.records_read != out.records_processed || out.rows_written != out.rows_produced) {
    return fmt::format("counts not conserved: read {} processed {}, produced {} written {}",
                       out.records_read, out.records_processed, out.rows_produced, out.rows_written);
  }
  return std::nullopt;
}

void fail_cell(CellResult& c, const std::string& why) {
  if (why.rfind("unavailable: ", 0) == 0) {
    c.status = CellStatus::Skipped;
    c.reason = why.substr(13);
  } else if (why.rfind("skipped: ", 0) == 0) {
    c.status = CellStatus::Skipped;
    c.reason = why.substr(9);
  } else {
    c.status = CellStatus::Failed;
    c.reason = why;
  }
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
    EngineKind engine = c.cell.peer ? EngineKind::Sql : c.cell.config.engine;
    if (!w.reference.count(engine)) w.reference[engine] = reference_digest(w, engine);
  }
  for (CellResult& c : result.cells) {
    if (c.status != CellStatus::Ok) continue;
    const Workload& w = workloads.at(workload_key(c.cell.scenario->name, c.cell.records));
    if (auto bad = check_expectations(w)) fail_cell(c, "scenario check: " + *bad);
  }

  std::vector<PreparedCell> prepared;
  for (CellResult& c : result.cells) {
    if (c.status != CellStatus::Ok) continue;
    PreparedCell pc;
    pc.result = &c;
    pc.workload = &workloads.at(workload_key(c.cell.scenario->name, c.cell.records));
    if (!c.cell.peer) {
      pc.strategy = make_strategy(c.cell.strategy);
      pc.inputs.query = pc.workload->query;
      pc.inputs.dataset = pc.workload->dataset;
      // Split the data into partitions now, not inside a timed pass.
      pc.inputs.make_reader = memory_reader_factory(pc.workload->dataset,
                                                    job_partitioning(c.cell.config, pc.inputs),
                                                    pc.workload->query);
      pc.inputs.make_reader(0, c.cell.config.partitions);
      EngineWrapper test_wrapper = c.cell.strategy != "direct" ? options.wrap_engine : nullptr;
      const unsigned work = options.inject_work;
      if (test_wrapper || work) {
        pc.inputs.wrap_engine = [test_wrapper, work](std::unique_ptr<Engine> e, int partition) {
          e = with_injected_work(std::move(e), work);
          return test_wrapper ? test_wrapper(std::move(e), partition) : std::move(e);
        };
      }
    }
    prepared.push_back(std::move(pc));
  }

  const size_t passes = prepared.size() * static_cast<size_t>(spec.warmup + spec.repetitions);
  size_t done = 0;
  double last_print = 0;
  auto progress = [&](const PreparedCell& pc, const char* what) {
    ++done;
    if (!options.progress) return;
    // Short runs print nothing; longer ones a line at most every 2 seconds, and the last pass.
    const double elapsed = seconds_since(t0);
    if (elapsed < 3 || (elapsed - last_print < 2 && done != passes)) return;
    last_print = elapsed;
    const double left = done ? elapsed / double(done) * double(passes - done) : 0;
    fmt::print(*options.progress, "[matrix] pass {}/{} ({}) {}  elapsed {:.0f}s, ~{:.0f}s left\n",
               done, passes, what, pc.result->cell.id(), elapsed, left);
  };

  // Our cells first, every peer after them. A peer's aftermath outlives its pass: the DuckDB
  // peer's node process hands back the memory of a million-row result (and the harness parses
  // that many rows), and the cell timed next ran 20-60% slower than the same cell elsewhere in
  // the order (`direct` looked slower than `batch_lock` on the same data). Peers time themselves
  // inside their own engines, so they lose nothing by running apart.
  const auto first_peer = std::stable_partition(
      prepared.begin(), prepared.end(), [](const PreparedCell& pc) { return !pc.result->cell.peer; });
  auto run_group = [&](std::vector<PreparedCell>::iterator begin,
                       std::vector<PreparedCell>::iterator end) {
    // Warm-up passes: checked, not recorded.
    for (int w = 0; w < spec.warmup; ++w) {
      for (auto pc = begin; pc != end; ++pc) {
        if (pc->result->status != CellStatus::Ok) continue;
        RunResult r;
        if (auto bad = run_pass(*pc, r)) fail_cell(*pc->result, *bad);
        progress(*pc, "warm-up");
      }
    }
    // Timed repetitions, interleaved across the group's cells, in a new shuffled order each
    // repetition (fixed seeds: the same order on every run). In a fixed order each cell always
    // ran right after the same neighbour, and on the shared VM that biased whole columns: in the
    // full default matrix every scenario's `direct` (first to touch its dataset after a
    // scenario's threaded cells) ran 20-50% below `batch_lock` on the same data, while in a
    // matrix of the two alone they were equal. Shuffled, such effects land on every cell alike
    // and show as spread instead of bias.
    std::vector<std::vector<PreparedCell>::iterator> order;
    for (auto pc = begin; pc != end; ++pc) order.push_back(pc);
    for (int rep = 0; rep < spec.repetitions; ++rep) {
      std::mt19937_64 shuffle_rng(kOrderSeed + static_cast<uint64_t>(rep));
      std::shuffle(order.begin(), order.end(), shuffle_rng);
      for (auto pc : order) {
        if (pc->result->status != CellStatus::Ok) continue;
        RunResult r;
        if (options.callgrind_toggle) CALLGRIND_TOGGLE_COLLECT;
        std::optional<std::string> bad = run_pass(*pc, r);
        if (options.callgrind_toggle) CALLGRIND_TOGGLE_COLLECT;
        if (bad) {
          const bool unavailable =
              bad->rfind("unavailable: ", 0) == 0 || bad->rfind("skipped: ", 0) == 0;
          fail_cell(*pc->result,
                    unavailable ? *bad : fmt::format("repetition {}: {}", rep + 1, *bad));
        } else {
          pc->result->samples.push_back(std::move(r));
        }
        progress(*pc, "timed");
      }
    }
  };
  run_group(prepared.begin(), first_peer);
  run_group(first_peer, prepared.end());
  result.elapsed_s = seconds_since(t0);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Output

namespace {

const CellResult* find_cell(const MatrixResult& r, const std::string& id) {
  for (const CellResult& c : r.cells)
    if (c.status == CellStatus::Ok && c.cell.id() == id) return &c;
  return nullptr;
}

nlohmann::json summary_json(const Summary& s) {
  return {{"n", s.n}, {"median", s.median}, {"min", s.min}, {"max", s.max}, {"cv", s.cv}};
}

}  // namespace

nlohmann::json MatrixResult::to_json() const {
  nlohmann::json cells_json = nlohmann::json::array();
  for (const CellResult& c : cells) {
    nlohmann::json j = {{"id", c.cell.id()},
                        {"scenario", c.cell.scenario->name},
                        {"strategy", c.cell.strategy},
                        {"peer", c.cell.peer},
                        {"records", c.cell.records},
                        {"config", c.cell.config.to_json()},
                        {"status", cell_status_name(c.status)}};
    if (!c.reason.empty()) j["reason"] = c.reason;
    if (c.cell.peer) {
      j["peer_sql"] = c.peer_sql;
      j["peer_timed"] = c.peer_timed;
      j["peer_check"] = c.peer_check;
    }
    if (c.status == CellStatus::Ok && !c.samples.empty()) {
      nlohmann::json summary = {{"records_per_second", summary_json(c.throughput())},
                                {"us_per_record", summary_json(c.us_per_record())}};
      const double cpu = c.median_cpu_ns();
      if (cpu > 0) summary["records_per_cpu_second"] = double(c.cell.records) * 1e9 / cpu;
      if (const CellResult* base = find_cell(*this, c.cell.baseline_id())) {
        const double ours = median(sample_values(c, [](const RunResult& r, uint64_t) { return double(r.wall_ns); }));
        const double theirs = median(sample_values(*base, [](const RunResult& r, uint64_t) { return double(r.wall_ns); }));
        if (theirs > 0) {
          summary["baseline"] = base->cell.id();
          summary["slowdown_vs_direct"] = ours / theirs;
          summary["overhead_vs_direct_pct"] = (ours / theirs - 1.0) * 100.0;
        }
      }
      j["summary"] = summary;
      nlohmann::json samples = nlohmann::json::array();
      for (const RunResult& r : c.samples) samples.push_back(r.to_json());
      j["samples"] = samples;
    }
    cells_json.push_back(std::move(j));
  }
  return {{"format", "streamgauge-matrix-result/1"},
          {"environment", sg::to_json(environment)},
          {"matrix",
           {{"name", spec.name},
            {"file", spec.file.string()},
            {"quick", spec.quick},
            {"repetitions", spec.repetitions},
            {"warmup", spec.warmup}}},
          {"elapsed_s", elapsed_s},
          {"cells", cells_json}};
}

std::string MatrixResult::to_csv() const {
  std::ostringstream out;
  out << "id,scenario,strategy,engine,batch_size,partitions,queue,records,status,repetitions,"
         "median_records_per_s,min_records_per_s,max_records_per_s,cv,median_us_per_record,"
         "records_per_cpu_s,slowdown_vs_direct,reason\n";
  for (const CellResult& c : cells) {
    const Cell& cell = c.cell;
    out << cell.id() << ',' << cell.scenario->name << ',' << cell.strategy << ','
        << (cell.peer ? "batch-sql" : engine_kind_name(cell.config.engine)) << ','
        << cell.config.batch_size << ',' << cell.config.partitions << ','
        << queue_kind_name(cell.config.queue) << ',' << cell.records << ','
        << cell_status_name(c.status) << ',' << c.samples.size() << ',';
    if (c.status == CellStatus::Ok && !c.samples.empty()) {
      Summary t = c.throughput();
      const double cpu = c.median_cpu_ns();
      out << fmt::format("{:.0f},{:.0f},{:.0f},{:.4f},{:.4f},", t.median, t.min, t.max, t.cv,
                         c.us_per_record().median);
      out << (cpu > 0 ? fmt::format("{:.0f}", double(cell.records) * 1e9 / cpu) : "") << ',';
      const CellResult* base = find_cell(*this, cell.baseline_id());
      if (base && !base->samples.empty()) {
        out << fmt::format("{:.4f}", base->throughput().median / t.median);
      }
      out << ',';
    } else {
      out << ",,,,,,,";
    }
    std::string reason = c.reason;
    for (char& ch : reason)
      if (ch == '"') ch = '\'';
    out << '"' << reason << "\"\n";
  }
  return out.str();
}

// Scenario x strategy, median M records/s, one grid per engine and batch size. A strategy run on
// several partition counts or queues gets a column for each.
static void print_grid(const MatrixResult& r, std::ostream& out) {
  std::vector<std::string> engines, columns, rows;
  std::set<size_t> batches;
  std::map<std::string, std::string> value;  // engine|batch|row|column -> text
  auto add_unique = [](std::vector<std::string>& v, const std::string& x) {
    if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
  };
  for (const CellResult& c : r.cells) {
    if (c.status == CellStatus::Skipped) continue;
    const Cell& cell = c.cell;
    const std::string engine = cell.peer ? "sql" : engine_kind_name(cell.config.engine);
    std::string column = cell.strategy;
    if (!cell.peer && cell.config.partitions > 1) column += fmt::format(" p{}", cell.config.partitions);
    if (cell.names_queue && r.spec.queues.size() > 1) column += fmt::format(" {}", queue_kind_name(cell.config.queue));
    if (cell.names_streaming && r.spec.streaming_modes.size() > 1)
      column += fmt::format(" {}", streaming_mode_name(cell.config.streaming));
    if (cell.names_capacity) column += fmt::format(" cap {}", cell.config.queue_capacity);
    if (!cell.config.phase_timing) column += " untimed";
    const std::string row = fmt::format("{} n={}", cell.scenario->name, cell.records);
    add_unique(engines, engine);
    add_unique(columns, column);
    add_unique(rows, row);
    batches.insert(cell.config.batch_size);
    value[fmt::format("{}|{}|{}|{}", engine, cell.config.batch_size, row, column)] =
        c.status == CellStatus::Failed ? "FAILED"
        : c.samples.empty()            ? "-"
                                       : fmt::format("{:.2f}", c.throughput().median / 1e6);
  }
  for (const std::string& engine : engines) {
    for (size_t batch : batches) {
      fmt::print(out, "\nengine {}, batch size {}: median M records/s (peers: batch SQL)\n", engine, batch);
      fmt::print(out, "{:<42}", "scenario");
      for (const std::string& col : columns) fmt::print(out, " {:>{}}", col, std::max<size_t>(8, col.size()));
      fmt::print(out, "\n");
      for (const std::string& row : rows) {
        bool any = false;
        for (const std::string& col : columns) any = any || value.count(fmt::format("{}|{}|{}|{}", engine, batch, row, col));
        if (!any) continue;
        fmt::print(out, "{:<42}", row);
        for (const std::string& col : columns) {
          auto it = value.find(fmt::format("{}|{}|{}|{}", engine, batch, row, col));
          fmt::print(out, " {:>{}}", it == value.end() ? "" : it->second, std::max<size_t>(8, col.size()));
        }
        fmt::print(out, "\n");
      }
    }
  }
}

void print_matrix_table(const MatrixResult& r, std::ostream& out) {
  const Environment& e = r.environment;
  fmt::print(out, "\nstreamgauge matrix '{}'{}: {} repetitions after {} warm-up, median [min-max], "
             "M records/s of wall time\n",
             r.spec.name, r.spec.quick ? " (quick)" : "", r.spec.repetitions, r.spec.warmup);
  fmt::print(out, "machine: {}\n\n", one_line(e));
  fmt::print(out, "{:<58} {:>22} {:>6} {:>9} {:>10}\n", "cell", "Mrec/s median [range]", "cv%",
             "vs direct", "Mrec/cpu-s");
  size_t skipped = 0;
  std::map<std::string, size_t> skip_reasons;
  for (const CellResult& c : r.cells) {
    if (c.status == CellStatus::Skipped) {
      ++skipped;
      ++skip_reasons[c.reason];
      continue;
    }
    if (c.status == CellStatus::Failed) {
      fmt::print(out, "{:<58} FAILED: {}\n", c.cell.id(), c.reason);
      continue;
    }
    Summary t = c.throughput();
    std::string vs = "";
    const CellResult* base = find_cell(r, c.cell.baseline_id());
    if (base && base != &c && !base->samples.empty()) {
      vs = fmt::format("{:.2f}x", base->throughput().median / t.median);
    } else if (base == &c) {
      vs = "baseline";
    }
    const double cpu = c.median_cpu_ns();
    fmt::print(out, "{:<58} {:>7.2f} [{:.2f}-{:.2f}] {:>6.1f} {:>9} {:>10}\n", c.cell.id(),
               t.median / 1e6, t.min / 1e6, t.max / 1e6, t.cv * 100, vs,
               cpu > 0 ? fmt::format("{:.2f}", double(c.cell.records) * 1e3 / cpu) : "");
  }
  print_grid(r, out);
  bool peers_header = false;
  for (const CellResult& c : r.cells) {
    if (!c.cell.peer || c.peer_check.empty()) continue;
    if (!peers_header) fmt::print(out, "\npeers (batch execution; only the query is timed), checked against streamgauge:\n");
    peers_header = true;
    fmt::print(out, "  {:<50} {}\n", c.cell.id(), c.peer_check);
  }
  if (skipped) {
    fmt::print(out, "\n{} cells skipped:\n", skipped);
    for (const auto& [reason, n] : skip_reasons) fmt::print(out, "  {:>4} x {}\n", n, reason);
  }
  fmt::print(out, "\n'vs direct' is the slowdown against direct on the same scenario, engine, batch "
                  "size and records (1.00x = as fast).\n");
}

}  // namespace sg
