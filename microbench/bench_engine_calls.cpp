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
// Each iteration decodes the next 1000 of the scenario's records, in order, from an encoded log
// (MaterializingReader, as the matrices' `--source materialized` does), untimed, and times the
// engine calls over them (manual time): the cells' engine reads records its thread just wrote, in
// cache, where the batched path's prefetch has little left to hide. Over records made long before
// and spread over the heap, the per-record path lost more to the batched one than any cell does
// (design-notes#model-shortfalls). Windows and group tables see the stream in order; after the
// last batch a fresh engine starts over (its start-up is the same in all three, and spread over
// kRecords records).
#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/query.h"
#include "harness/io/materializing_reader.h"
#include "harness/io/record_log.h"
#include "harness/workload/generator.h"
#include "harness/workload/scenario.h"
#include "microbench/quick_main.h"

namespace sg {
namespace {

constexpr size_t kRecords = 100'000;
constexpr size_t kBatch = 1000;
static_assert(kRecords % kBatch == 0, "every batch is full");

using Clock = std::chrono::steady_clock;

enum class Calls { Batched, PerRecord, PerRecordLocked };

void engine_calls(benchmark::State& state, const Scenario& scenario, Calls calls) {
  const Generator generator(scenario.generator);
  const auto query = CompiledQuery::compile(scenario.sql, generator.schema());
  const auto log = std::make_shared<const RecordLog>(
      RecordLog::encode(generate_dataset(scenario.generator, kRecords).records));
  MaterializingReader reader(log);
  Batch batch;
  batch.reserve(kBatch);
  // On a line of its own, as in the strategy's EngineAccess (bench_batch_loop.cpp says why).
  struct alignas(64) OwnLine {
    std::mutex mutex;
  };
  auto lock = std::make_unique<OwnLine>();
  std::unique_ptr<Engine> engine = query->instantiate();
  Batch out;
  out.reserve(2 * kBatch);
  for (auto _ : state) {
    batch.clear();  // the last batch's records are freed before the next decode, as direct does
    if (reader.read(kBatch, batch).end_of_stream && batch.empty()) {
      reader = MaterializingReader(log);
      engine = query->instantiate();
      reader.read(kBatch, batch);
    }
    const Clock::time_point start = Clock::now();
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
    state.SetIterationTime(std::chrono::duration<double>(Clock::now() - start).count());
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
          [sc, calls = calls](benchmark::State& s) { engine_calls(s, sc, calls); })
          ->UseManualTime();
    }
  }
  return true;
}();

}  // namespace
}  // namespace sg

SG_BENCHMARK_MAIN()
