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
//
// Each iteration feeds the next 1000 of the scenario's records in order, so windows and group
// tables see the stream they see in a run; after the last batch a fresh engine starts over (its
// start-up is the same in all three, and spread over kRecords records).
#include <benchmark/benchmark.h>

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

const bool registered = [] {
  for (const Scenario& sc : load_scenarios(default_scenario_dir())) {
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
