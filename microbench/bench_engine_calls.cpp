// per_record_lock's engine dispatch over each scenario's own query (the sql engine): what one
// Engine::process call per record costs against one process_batch per batch, and what the lock
// around each call adds. The passthrough figures (bench_batch_loop's batch/engine_calls/*) are
// one cost for every scenario; a query's per-record path differs from its batched one by as much
// as its batched path amortizes, so the model prices sql cells by their scenario
// (overhead_components.cpp: engine_calls and locks).
//
//   batch/engine_calls/sql/batched/<scenario>                   process_batch, per record
//   batch/engine_calls/sql/per_record/<scenario>                process per record
//   batch/engine_calls/sql/per_record_locked/mutex/<scenario>   the same, a mutex around each call
//   batch/engine_calls/sql/paired/<scenario>                    the three in each iteration
//
// Each iteration feeds the next 1000 of the scenario's records in order, so windows and group
// tables see the stream they see in a run; after the last batch a fresh engine starts over (its
// start-up is the same in all three, and spread over kRecords records).
#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "engine/query.h"
#include "harness/workload/generator.h"
#include "harness/workload/scenario.h"
#include "microbench/quick_main.h"

namespace sg {
namespace {

constexpr size_t kRecords = 100'000;
constexpr size_t kBatch = 1000;
static_assert(kRecords % kBatch == 0, "every batch is full");

enum class Calls { Batched, PerRecord, PerRecordLocked };

// A scenario's query and records, made before timing; the lock on a line of its own, as in the
// strategy's EngineAccess (bench_batch_loop.cpp says why).
struct Workload {
  explicit Workload(const Scenario& scenario)
      : query(CompiledQuery::compile(scenario.sql, Generator(scenario.generator).schema())),
        records(generate_dataset(scenario.generator, kRecords).records) {}
  std::shared_ptr<const CompiledQuery> query;
  std::vector<RecordPtr> records;
  struct alignas(64) OwnLine {
    std::mutex mutex;
  };
  std::unique_ptr<OwnLine> lock = std::make_unique<OwnLine>();
  // The next batch, in order; past the last one, `restart` (a fresh engine) and the first again.
  template <class Restart>
  std::span<const RecordPtr> next_batch(size_t& next, Restart&& restart) const {
    if (next == records.size()) {
      next = 0;
      restart();
    }
    const std::span<const RecordPtr> batch(records.data() + next, kBatch);
    next += kBatch;
    return batch;
  }
};

void run_calls(Calls calls, Engine& engine, std::span<const RecordPtr> batch, Batch& out,
               std::mutex& mutex) {
  if (calls == Calls::Batched) {
    engine.process_batch(batch, out);
  } else if (calls == Calls::PerRecord) {
    for (const RecordPtr& r : batch) engine.process(r, out);
  } else {
    for (const RecordPtr& r : batch) {
      mutex.lock();
      engine.process(r, out);
      mutex.unlock();
    }
  }
  out.clear();
}

void engine_calls(benchmark::State& state, const Scenario& scenario, Calls calls) {
  const Workload w(scenario);
  std::unique_ptr<Engine> engine = w.query->instantiate();
  Batch out;
  out.reserve(2 * kBatch);
  size_t next = 0;
  for (auto _ : state) {
    const auto batch = w.next_batch(next, [&] { engine = w.query->instantiate(); });
    run_calls(calls, *engine, batch, out, w.lock->mutex);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kBatch));
}

// The three loops in one iteration, on the same batch, each on its own engine and timed apart,
// starting with a different one each iteration: their differences come from the same
// microseconds, as the matrix pairs a cell with direct, where the three benchmarks above are read
// seconds apart and a host that slows some repetitions moves their differences by as much as the
// differences themselves (design-notes#model-shortfalls). Counters, ns a record:
//   calls_ns  per_record - batched       locks_ns  per_record_locked - per_record
void engine_calls_paired(benchmark::State& state, const Scenario& scenario) {
  using Clock = std::chrono::steady_clock;
  constexpr Calls kCalls[] = {Calls::Batched, Calls::PerRecord, Calls::PerRecordLocked};
  const Workload w(scenario);
  std::unique_ptr<Engine> engines[3];
  for (auto& e : engines) e = w.query->instantiate();
  double ns[3] = {0, 0, 0};
  Batch out;
  out.reserve(2 * kBatch);
  size_t next = 0;
  size_t first = 0;
  for (auto _ : state) {
    const auto batch = w.next_batch(next, [&] {
      for (auto& e : engines) e = w.query->instantiate();
    });
    for (size_t k = 0; k < 3; ++k) {
      const size_t v = (first + k) % 3;
      const Clock::time_point start = Clock::now();
      run_calls(kCalls[v], *engines[v], batch, out, w.lock->mutex);
      ns[v] += std::chrono::duration<double, std::nano>(Clock::now() - start).count();
    }
    first = (first + 1) % 3;
  }
  const double n = static_cast<double>(state.iterations()) * kBatch;
  state.counters["batched_ns"] = ns[0] / n;
  state.counters["per_record_ns"] = ns[1] / n;
  state.counters["locked_ns"] = ns[2] / n;
  state.counters["calls_ns"] = (ns[1] - ns[0]) / n;
  state.counters["locks_ns"] = (ns[2] - ns[1]) / n;
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kBatch));
}

const bool registered = [] {
  for (const Scenario& sc : load_scenarios(default_scenario_dir())) {
    benchmark::RegisterBenchmark(("batch/engine_calls/sql/paired/" + sc.name).c_str(),
                                 [sc](benchmark::State& s) { engine_calls_paired(s, sc); });
    for (const auto& [calls, name] : {std::pair{Calls::Batched, "batched"},
                                      {Calls::PerRecord, "per_record"},
                                      {Calls::PerRecordLocked, "per_record_locked/mutex"}}) {
      benchmark::RegisterBenchmark(
          ("batch/engine_calls/sql/" + std::string(name) + "/" + sc.name).c_str(),
          [sc, calls = calls](benchmark::State& s) { engine_calls(s, sc, calls); });
    }
  }
  return true;
}();

}  // namespace
}  // namespace sg

SG_BENCHMARK_MAIN()
