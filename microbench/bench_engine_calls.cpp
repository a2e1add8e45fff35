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

void engine_calls(benchmark::State& state, const Scenario& scenario, Calls calls) {
  const Generator generator(scenario.generator);
  const auto query = CompiledQuery::compile(scenario.sql, generator.schema());
  const std::vector<RecordPtr> records = generate_dataset(scenario.generator, kRecords).records;
  // On a line of its own, as in the strategy's EngineAccess (bench_batch_loop.cpp says why).
  struct alignas(64) OwnLine {
    std::mutex mutex;
  };
  auto lock = std::make_unique<OwnLine>();
  std::unique_ptr<Engine> engine = query->instantiate();
  Batch out;
  out.reserve(2 * kBatch);
  size_t next = 0;
  for (auto _ : state) {
    const std::span<const RecordPtr> batch(records.data() + next, kBatch);
    if (calls == Calls::Batched) {
      engine->process_batch(batch, out);
    } else if (calls == Calls::PerRecord) {
      for (const RecordPtr& r : batch) engine->process(r, out);
    } else {
      for (const RecordPtr& r : batch) {
        lock->mutex.lock();
        engine->process(r, out);
        lock->mutex.unlock();
      }
    }
    out.clear();
    next += kBatch;
    if (next == records.size()) {
      next = 0;
      engine = query->instantiate();
    }
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
  const Generator generator(scenario.generator);
  const auto query = CompiledQuery::compile(scenario.sql, generator.schema());
  const std::vector<RecordPtr> records = generate_dataset(scenario.generator, kRecords).records;
  struct alignas(64) OwnLine {
    std::mutex mutex;
  };
  auto lock = std::make_unique<OwnLine>();
  constexpr Calls kCalls[] = {Calls::Batched, Calls::PerRecord, Calls::PerRecordLocked};
  std::unique_ptr<Engine> engines[3];
  for (auto& e : engines) e = query->instantiate();
  double ns[3] = {0, 0, 0};
  Batch out;
  out.reserve(2 * kBatch);
  size_t next = 0;
  size_t first = 0;
  for (auto _ : state) {
    const std::span<const RecordPtr> batch(records.data() + next, kBatch);
    for (size_t k = 0; k < 3; ++k) {
      const size_t v = (first + k) % 3;
      Engine& engine = *engines[v];
      const Clock::time_point start = Clock::now();
      if (kCalls[v] == Calls::Batched) {
        engine.process_batch(batch, out);
      } else if (kCalls[v] == Calls::PerRecord) {
        for (const RecordPtr& r : batch) engine.process(r, out);
      } else {
        for (const RecordPtr& r : batch) {
          lock->mutex.lock();
          engine.process(r, out);
          lock->mutex.unlock();
        }
      }
      out.clear();
      ns[v] += std::chrono::duration<double, std::nano>(Clock::now() - start).count();
    }
    first = (first + 1) % 3;
    next += kBatch;
    if (next == records.size()) {
      next = 0;
      for (auto& e : engines) e = query->instantiate();
    }
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
