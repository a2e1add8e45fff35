// The overhead model (overhead_model.h): unit costs from the microbenches, counts from the run,
// per strategy the critical path. The component table below is the one place that says which
// benchmark prices which counter.
#include "harness/analysis/overhead_model.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>

#include <fmt/format.h>

namespace sg {

// ---------------------------------------------------------------------------------------------
// Unit costs

namespace {

double median_of(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

void MicrobenchCosts::add_json(const nlohmann::json& document, const std::string& source) {
  if (!document.is_object() || !document.contains("benchmarks") ||
      !document["benchmarks"].is_array())
    throw ExplainError(source + ": not Google Benchmark JSON (no \"benchmarks\" array)");
  std::map<std::string, std::vector<double>> iterations;
  std::map<std::string, double> medians;
  for (const nlohmann::json& b : document["benchmarks"]) {
    if (!b.contains("items_per_second") || !b["items_per_second"].is_number()) continue;
    const double rate = b["items_per_second"].get<double>();
    if (rate <= 0) continue;
    const std::string name = b.value("run_name", b.value("name", std::string()));
    // items_per_second is per CPU second unless the benchmark uses real time. The matrix
    // measures wall time, so the unit costs are wall time too: on a loaded machine a thread
    // gets a fraction of a core, and CPU time would under-price every component alike.
    double wall_per_cpu = 1.0;
    const bool real_time = name.find("/real_time") != std::string::npos;
    if (!real_time && b.contains("real_time") && b.contains("cpu_time") &&
        b["cpu_time"].get<double>() > 0)
      wall_per_cpu = b["real_time"].get<double>() / b["cpu_time"].get<double>();
    const double ns = 1e9 / rate * wall_per_cpu;
    if (b.value("run_type", std::string("iteration")) == "aggregate") {
      if (b.value("aggregate_name", std::string()) == "median") medians[name] = ns;
    } else {
      iterations[name].push_back(ns);
    }
  }
  for (auto& [name, values] : iterations) ns_per_item_[name] = median_of(values);
  for (auto& [name, value] : medians) ns_per_item_[name] = value;  // the aggregate wins
}

MicrobenchCosts MicrobenchCosts::load_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    throw ExplainError(dir.string() +
                       ": no such microbench folder (make one with "
                       "scripts/microbench --out DIR)");
  MicrobenchCosts costs;
  costs.set_origin(dir.string());
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    nlohmann::json document;
    try {
      document = nlohmann::json::parse(in);
    } catch (const nlohmann::json::parse_error& e) {
      throw ExplainError(entry.path().string() + ": not valid JSON: " + e.what());
    }
    costs.add_json(document, entry.path().string());
    ++files;
  }
  if (files == 0) throw ExplainError(dir.string() + ": no *.json microbench results in it");
  return costs;
}

double MicrobenchCosts::ns_per_item(const std::string& benchmark) const {
  auto it = ns_per_item_.find(benchmark);
  if (it == ns_per_item_.end())
    throw ExplainError(fmt::format(
        "{}: benchmark '{}' is missing (the model needs it; run scripts/microbench without "
        "--filter, or with a filter that keeps it)",
        origin_, benchmark));
  return it->second;
}

// ---------------------------------------------------------------------------------------------
// What a cell counted

namespace {

// The medians of one cell's samples, and its configuration.
struct CellCounts {
  std::string id, scenario, strategy, engine, queue, lock, streaming, writer_mode;
  size_t batch_size = 0;
  int partitions = 1;
  bool phase_timing = true;  // off: no clock reads at phase boundaries at all
  uint64_t records = 0;
  double wall_ns = 0;
  double records_read = 0, batches = 0, locks_taken = 0, rows_produced = 0;
  double items_pushed = 0, items_popped = 0, push_calls = 0, pop_calls = 0;
  double producer_waits = 0, consumer_waits = 0;
  double voluntary_switches = 0;
  double engine_phase_ns = 0;  // job thread's Engine phase (used for direct baselines)
};

double sample_median(const nlohmann::json& samples,
                     const std::function<double(const nlohmann::json&)>& get) {
  std::vector<double> values;
  for (const nlohmann::json& s : samples) values.push_back(get(s));
  return median_of(values);
}

CellCounts read_cell(const nlohmann::json& cell) {
  CellCounts c;
  c.id = cell.at("id").get<std::string>();
  c.scenario = cell.at("scenario").get<std::string>();
  c.strategy = cell.at("strategy").get<std::string>();
  c.records = cell.at("records").get<uint64_t>();
  const nlohmann::json& config = cell.at("config");
  c.engine = config.value("engine", std::string("?"));
  c.queue = config.value("queue", std::string("moodycamel"));
  c.lock = config.value("lock", std::string("mutex"));
  c.streaming = config.value("streaming", std::string("eager"));
  c.writer_mode = config.value("writer_mode", std::string("shared"));
  c.batch_size = config.value("batch_size", size_t{1});
  c.partitions = config.value("partitions", 1);
  c.phase_timing = config.value("phase_timing", true);
  const nlohmann::json& s = cell.at("samples");
  auto number = [](const nlohmann::json& j, const char* key) {
    return j.contains(key) ? j[key].get<double>() : 0.0;
  };
  c.wall_ns = sample_median(s, [&](const auto& r) { return number(r, "wall_ns"); });
  c.records_read = sample_median(s, [&](const auto& r) { return number(r, "records_read"); });
  c.batches = sample_median(s, [&](const auto& r) { return number(r, "batches"); });
  c.locks_taken = sample_median(s, [&](const auto& r) { return number(r, "locks_taken"); });
  c.rows_produced = sample_median(s, [&](const auto& r) { return number(r, "rows_produced"); });
  c.voluntary_switches =
      sample_median(s, [&](const auto& r) { return number(r, "voluntary_switches"); });
  auto queue = [&](const char* key) {
    return sample_median(
        s, [&](const auto& r) { return r.contains("queue") ? number(r["queue"], key) : 0.0; });
  };
  c.items_pushed = queue("items_pushed");
  c.items_popped = queue("items_popped");
  c.push_calls = queue("push_calls");
  c.pop_calls = queue("pop_calls");
  c.producer_waits = queue("producer_waits");
  c.consumer_waits = queue("consumer_waits");
  c.engine_phase_ns = sample_median(s, [&](const auto& r) {
    if (!r.contains("threads") || r["threads"].empty()) return 0.0;
    const nlohmann::json& job = r["threads"][0];
    return job.contains("phase_ns") ? number(job["phase_ns"], "engine") : 0.0;
  });
  return c;
}

// ---------------------------------------------------------------------------------------------
// The component table: which benchmark prices which counter, and why

struct ComponentSpec {
  const char* name;
  const char* unit;     // what one count is
  const char* counter;  // what the run counted
  const char* why;
  // The benchmark expression for this cell: "A" or "A - B - C" (unit = A minus the others).
  std::function<std::string(const CellCounts&)> benchmark;
  double scale = 1.0;  // unit cost multiplier (a round trip is two one-way hand-offs)
};

// The nearest size, on a log scale, among those a benchmark was registered with.
int64_t nearest_size(double size, std::initializer_list<int64_t> sizes) {
  int64_t best = *sizes.begin();
  for (int64_t s : sizes)
    if (std::abs(std::log(std::max(size, 1.0) / double(s))) <
        std::abs(std::log(std::max(size, 1.0) / double(best))))
      best = s;
  return best;
}

std::string lock_benchmark(const CellCounts& c, bool contended) {
  const char* fn = c.lock == "rwlock" ? "shared_mutex_exclusive" : "mutex_lock_unlock";
  return contended ? fmt::format("lock/{}/contended/real_time/threads:2", fn)
                   : fmt::format("lock/{}/uncontended", fn);
}

std::string queue_bulk_benchmark(const CellCounts& c) {
  const double per_call = c.push_calls > 0 ? c.items_pushed / c.push_calls : 1.0;
  return fmt::format("queue/{}/bulk/batch:{}", c.queue, nearest_size(per_call, {1, 16, 256}));
}

const std::vector<ComponentSpec>& component_table() {
  static const std::vector<ComponentSpec> table = {
      {"locks", "lock + unlock", "locks_taken",
       "the engine lock (per record or per batch) or adaptive's shared-writer lock; contended "
       "when several workers share it",
       [](const CellCounts& c) {
         return lock_benchmark(c, c.strategy == "adaptive" && c.partitions > 1);
       }},
      {"clock_reads", "PhaseClock::now_ns()", "phase boundaries beyond direct's 3 per batch",
       "phase timing reads the clock at every phase change; strategies have more phases",
       [](const CellCounts&) { return std::string("batch/clock_read"); }},
      {"record_copies", "RecordPtr copy + release", "records_read",
       "a reader hands out a shared reference per record (direct reads the dataset in place)",
       [](const CellCounts&) { return std::string("copy/record/share"); }},
      {"batches", "job-loop batch bookkeeping", "batches",
       "run_job_loop's per-batch work beyond direct's (read call, reader commit, counters), "
       "without its record copy",
       [](const CellCounts&) {
         return std::string(
             "batch/job_loop/batch:1 - batch/direct_loop/batch:1 - copy/record/share");
       }},
      {"engine_calls", "one Engine::process call", "records - batches (per_record_lock)",
       "per_record_lock calls the engine per record instead of per batch",
       [](const CellCounts&) {
         return std::string("batch/engine_calls/per_record - batch/engine_calls/batched");
       }},
      {"queue_push", "half a push+pop, per item", "items_pushed",
       "the reader's side of the queue; bulk size = items_pushed / push_calls",
       [](const CellCounts& c) { return queue_bulk_benchmark(c); }, 0.5},
      {"queue_pop", "half a push+pop, per item", "items_popped", "the worker's side of the queue",
       [](const CellCounts& c) { return queue_bulk_benchmark(c); }, 0.5},
      {"handoffs", "one-way futex wake + wait",
       "producer_waits + consumer_waits (streaming: "
       "voluntary switches beyond direct's)",
       "a blocked thread is woken by the other: half of a ping-pong round trip",
       [](const CellCounts&) { return std::string("thread/ping_pong/atomic_wait/real_time"); },
       0.5},
      {"threads", "thread start + join", "threads started",
       "lockless_stp starts one per partition, adaptive one per worker plus the reader",
       [](const CellCounts&) { return std::string("thread/start_join/real_time"); }},
      {"stream_startup", "execute() + pull + stop of a 1-record stream", "streams (1 per run)",
       "the streaming design's fixed cost (channel, pause state, producer thread)",
       [](const CellCounts& c) {
         return fmt::format("startup/whole/{}/records:1/real_time", c.streaming);
       }},
      {"channel", "mutex-deque push + pop", "output batches (streaming eager/lazy)",
       "each output batch goes through the stream's mutex + deque channel",
       [](const CellCounts&) { return std::string("raw/mutex-deque/push_pop"); }},
      {"pause_checks", "lock + unlock", "chunks (streaming eager)",
       "an eager stream's producer takes the pause mutex before every chunk",
       [](const CellCounts&) { return lock_benchmark(CellCounts{}, false); }},
      {"fresh_batches", "a new output vector instead of a reused one", "output batches",
       "the streaming producer starts every chunk with an empty Batch that grows",
       [](const CellCounts& c) {
         const double rows = c.batches > 0 ? c.rows_produced / c.batches : 1.0;
         const int64_t b = nearest_size(rows, {1, 10, 100, 1000, 10000});
         return fmt::format(
             "batch/output_vector/fresh/batch:{} - batch/output_vector/reuse/batch:{}", b, b);
       }},
  };
  return table;
}

const ComponentSpec& spec_of(const std::string& name) {
  for (const ComponentSpec& s : component_table())
    if (name == s.name) return s;
  throw std::logic_error("overhead model: no component named " + name);
}

// "A - B - C" -> A's cost minus the others'.
double expression_cost(const std::string& expression, const MicrobenchCosts& costs) {
  double total = 0;
  size_t start = 0;
  bool first = true;
  while (true) {
    const size_t minus = expression.find(" - ", start);
    const std::string term = expression.substr(start, minus - start);
    const double cost = costs.ns_per_item(term);
    total += first ? cost : -cost;
    first = false;
    if (minus == std::string::npos) break;
    start = minus + 3;
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// The model per strategy

// One thread's route through a run: the baseline work it carries and its extra components.
struct Path {
  std::string name;
  double base_ns = 0;  // the direct baseline's work done on this path, per run
  std::vector<ComponentEstimate> components;
  double length_ns(double records) const {
    double total = base_ns;
    for (const ComponentEstimate& e : components) total += e.predicted_ns_per_record * records;
    return total;
  }
};

class Model {
 public:
  Model(const CellCounts& cell, const CellCounts& baseline, const MicrobenchCosts& costs,
        unsigned cores)
      : c_(cell),
        base_(baseline),
        costs_(costs),
        cores_(std::max(1u, cores)),
        records_(std::max<double>(1, double(cell.records))) {}

  // `count`: how many times the critical path did it in the whole run.
  ComponentEstimate component(const std::string& name, double count) const {
    // With phase timing off the clock is read once per thread, not at every phase boundary.
    if (name == "clock_reads" && !c_.phase_timing) count = 0;
    const ComponentSpec& spec = spec_of(name);
    ComponentEstimate e;
    e.name = name;
    const std::string expression = spec.benchmark(c_);
    e.unit_cost_ns = spec.scale * expression_cost(expression, costs_);
    e.benchmark = spec.scale == 1.0 ? expression : fmt::format("{} x ({})", spec.scale, expression);
    e.count_per_record = count / records_;
    e.predicted_ns_per_record = e.count_per_record * e.unit_cost_ns;
    return e;
  }
  // Baseline work taken off the critical path by running it on another thread (negative).
  ComponentEstimate overlap(double hidden_ns, const std::string& what) const {
    ComponentEstimate e;
    e.name = "overlapped_base_work";
    e.benchmark = "direct baseline: " + what;
    e.count_per_record = -1;
    e.unit_cost_ns = hidden_ns / records_;
    e.predicted_ns_per_record = -e.unit_cost_ns;
    return e;
  }

  void explain(ExplainRow& row) const {
    if (c_.strategy == "per_record_lock") return single_loop(row, /*per_record=*/true);
    if (c_.strategy == "batch_lock") return single_loop(row, /*per_record=*/false);
    if (c_.strategy == "lockless_stp") return lockless_stp(row);
    if (c_.strategy == "adaptive") return adaptive(row);
    if (c_.strategy == "streaming") return streaming(row);
    throw ExplainError(
        fmt::format("{}: the model has no rule for strategy '{}'", c_.id, c_.strategy));
  }

 private:
  // Clock reads per batch in run_job_loop beyond direct's 3 (engine, write, commit): the read
  // phase, plus per_record_lock's 2 per record and batch_lock's lock and unlock charges.
  void single_loop(ExplainRow& row, bool per_record) const {
    auto& out = row.components;
    out.push_back(component("locks", c_.locks_taken));
    const double clock_reads = per_record ? c_.batches + 2 * c_.records_read : 3 * c_.batches;
    out.push_back(component("clock_reads", clock_reads));
    out.push_back(component("record_copies", c_.records_read));
    out.push_back(component("batches", c_.batches));
    if (per_record) out.push_back(component("engine_calls", c_.records_read - c_.batches));
  }

  // Each partition runs the loop of batch_lock without the lock; min(partitions, cores) of them
  // at once, so the path carries 1/p_eff of the counts and of the baseline work.
  void lockless_stp(ExplainRow& row) const {
    const double p_eff = std::min<double>(c_.partitions, cores_);
    auto& out = row.components;
    out.push_back(component("threads", c_.partitions));
    out.push_back(component("clock_reads", c_.batches / p_eff));
    out.push_back(component("record_copies", c_.records_read / p_eff));
    out.push_back(component("batches", c_.batches / p_eff));
    if (p_eff > 1) out.push_back(overlap(base_.wall_ns * (1 - 1 / p_eff), "wall x (1 - 1/p_eff)"));
    if (c_.partitions > 1)
      row.critical_path =
          fmt::format("the slowest of {} partitions ({} run at once)", c_.partitions, p_eff);
  }

  // Reader thread: read, copy, push. Workers: pop, engine + write (the baseline's work), the
  // shared-writer lock. The longer path sets the wall time.
  void adaptive(ExplainRow& row) const {
    const double n = c_.partitions;
    const double p_eff = std::max(1.0, std::min<double>(n, cores_ > 1 ? cores_ - 1 : 1));
    const double reader_batches =
        std::ceil(c_.records_read / double(std::max<size_t>(1, c_.batch_size)));
    Path reader{"reader", 0, {}};
    reader.components.push_back(component("record_copies", c_.records_read));
    reader.components.push_back(component("batches", reader_batches));
    reader.components.push_back(component("clock_reads", 2 * reader_batches));
    reader.components.push_back(component("queue_push", c_.items_pushed));
    Path workers{"workers", base_.wall_ns / p_eff, {}};
    workers.components.push_back(component("queue_pop", c_.items_popped / p_eff));
    workers.components.push_back(component("locks", c_.locks_taken / p_eff));
    // pop + engine + write + commit, and the lock charge with a shared writer: 2 or 1 beyond 3.
    const double extra_reads = c_.writer_mode == "shared" ? 2 : 1;
    workers.components.push_back(component("clock_reads", extra_reads * c_.batches / p_eff));
    if (p_eff > 1)
      workers.components.push_back(
          overlap(base_.wall_ns * (1 - 1 / p_eff), "wall x (1 - 1/p_eff)"));
    const bool reader_critical = reader.length_ns(records_) > workers.length_ns(records_);
    keep_critical(row, reader_critical ? reader : workers, reader_critical ? workers : reader);
    if (reader_critical) row.components.push_back(overlap(base_.wall_ns, "wall (all on workers)"));
    row.components.push_back(component("threads", n + 1));
    row.components.push_back(component("handoffs", c_.producer_waits + c_.consumer_waits));
  }

  void streaming(ExplainRow& row) const {
    row.components.push_back(component("stream_startup", 1));
    if (c_.streaming == "spawnless") return;  // the engine runs in the caller, like direct
    // The producer runs the engine; the job thread pulls, writes and commits.
    const double engine_ns = std::min(base_.engine_phase_ns, base_.wall_ns);
    Path producer{"producer", engine_ns, {}};
    const bool eager = c_.streaming == "eager";
    producer.components.push_back(component("clock_reads", (eager ? 3 : 2) * c_.batches));
    producer.components.push_back(component("channel", c_.batches));
    producer.components.push_back(component("fresh_batches", c_.batches));
    if (eager) producer.components.push_back(component("pause_checks", c_.batches));
    Path consumer{"job thread (write)", base_.wall_ns - engine_ns, {}};
    consumer.components.push_back(component("channel", c_.batches));
    const bool producer_critical = producer.length_ns(records_) > consumer.length_ns(records_);
    const Path& critical = producer_critical ? producer : consumer;
    const Path& other = producer_critical ? consumer : producer;
    keep_critical(row, critical, other);
    row.components.push_back(overlap(other.base_ns, fmt::format("{} work", other.name)));
    // Blocking waits: the run's voluntary switches beyond direct's, less the one join.
    const double waits = std::max(0.0, c_.voluntary_switches - base_.voluntary_switches - 1);
    row.components.push_back(component("handoffs", waits));
  }

  void keep_critical(ExplainRow& row, const Path& critical, const Path& other) const {
    for (const ComponentEstimate& e : critical.components) row.components.push_back(e);
    row.critical_path = fmt::format("{} ({:.1f} ns/rec) over {} ({:.1f} ns/rec)", critical.name,
                                    critical.length_ns(records_) / records_, other.name,
                                    other.length_ns(records_) / records_);
  }

  const CellCounts& c_;
  const CellCounts& base_;
  const MicrobenchCosts& costs_;
  unsigned cores_;
  double records_;
};

}  // namespace

Explanation explain_matrix(const nlohmann::json& matrix, const MicrobenchCosts& costs,
                           const std::string& matrix_path, const std::string& microbench_dir) {
  if (!matrix.is_object() || matrix.value("format", std::string()) != "streamgauge-matrix-result/1")
    throw ExplainError(matrix_path +
                       ": not a matrix result (expected format \"streamgauge-matrix-result/1\")");
  Explanation result;
  result.matrix = matrix_path;
  result.microbench = microbench_dir;
  unsigned cores = 1;
  if (matrix.contains("environment") && matrix["environment"].contains("cores"))
    cores = matrix["environment"]["cores"].get<unsigned>();

  std::map<std::string, CellCounts> ok_cells;
  const nlohmann::json& cells = matrix.at("cells");
  for (const nlohmann::json& cell : cells) {
    if (cell.value("status", std::string()) != "ok" || !cell.contains("samples") ||
        cell["samples"].empty())
      continue;
    ok_cells.emplace(cell.at("id").get<std::string>(), read_cell(cell));
  }
  for (const nlohmann::json& cell : cells) {
    const std::string id = cell.at("id").get<std::string>();
    const std::string strategy = cell.value("strategy", std::string());
    if (strategy == "direct") continue;  // the baseline itself
    if (cell.value("peer", false)) {
      result.not_explained.push_back(id + ": a peer engine, not a coordination strategy");
      continue;
    }
    auto it = ok_cells.find(id);
    if (it == ok_cells.end()) {
      result.not_explained.push_back(id + ": " + cell.value("status", std::string("?")) +
                                     " (no timed samples)");
      continue;
    }
    const CellCounts& c = it->second;
    std::string baseline_id;
    if (cell.contains("summary") && cell["summary"].contains("baseline"))
      baseline_id = cell["summary"]["baseline"].get<std::string>();
    auto base = ok_cells.find(baseline_id);
    if (baseline_id.empty() || base == ok_cells.end()) {
      result.not_explained.push_back(
          id +
          ": no baseline (its direct cell, same scenario, engine, batch size and records, "
          "is not in the matrix or did not succeed)");
      continue;
    }
    ExplainRow row;
    row.cell = id;
    row.scenario = c.scenario;
    row.strategy = c.strategy;
    row.engine = c.engine;
    if (c.strategy == "streaming") row.streaming_mode = c.streaming;
    row.batch_size = c.batch_size;
    row.partitions = c.partitions;
    row.phase_timing = c.phase_timing;
    row.records = c.records;
    const double records = std::max<double>(1, double(c.records));
    row.measured_ns_per_record = (c.wall_ns - base->second.wall_ns) / records;
    Model(c, base->second, costs, cores).explain(row);
    for (const ComponentEstimate& e : row.components)
      row.predicted_ns_per_record += e.predicted_ns_per_record;
    row.unexplained_ns_per_record = row.measured_ns_per_record - row.predicted_ns_per_record;
    if (row.measured_ns_per_record != 0)
      row.explained_pct = 100.0 * row.predicted_ns_per_record / row.measured_ns_per_record;
    result.rows.push_back(std::move(row));
  }
  if (result.rows.empty() && !result.not_explained.empty())
    throw ExplainError(matrix_path +
                       ": no cell could be explained; first: " + result.not_explained.front());
  return result;
}

}  // namespace sg
