// What adaptive's reader does per record when it feeds several partitions: read the record's
// partition key (the query's, or the whole row for a stateless query), hash it, pick the
// partition (partition_of) and stage the record's pointer for that partition's queue. Over a
// scenario's generated records, lent in stream order as the matrix's default 1M-record cells
// read them, so the reader takes the same first touch of each record that it does in a run.
//
//   routing/records/<scenario>/real_time   batches of 1,000 records routed to 2 partitions;
//                                          items = records
//
// The overhead model charges it per record to the reader's path of adaptive cells with more
// than one partition (harness/analysis/overhead_components.cpp, routing). One thread, but its
// first touches go to memory, whose distance moves when the host moves the vCPUs: so it notes
// the cross-core regime of each repetition too (line_probe.h), and scripts/run reads it before
// the matrices as well (design-notes#model-shortfalls).
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/query.h"
#include "harness/strategies/partition_split.h"  // partition_of
#include "harness/workload/generator.h"
#include "harness/workload/scenario.h"
#include "microbench/line_probe.h"
#include "microbench/quick_main.h"

namespace sg {
namespace {

constexpr uint64_t kRecords = 1'000'000;  // the matrices' default cell size
constexpr size_t kBatch = 1000;
constexpr int kPartitions = 2;

struct Routed {
  std::shared_ptr<const CompiledQuery> query;
  Dataset data;
};

// One scenario's records at a time: a million of each would not fit beside the others.
const Routed& routed(const Scenario& s) {
  static std::string name;
  static std::unique_ptr<Routed> held;
  if (name != s.name) {
    held.reset();
    Generator generator(s.generator);
    held = std::make_unique<Routed>(Routed{CompiledQuery::compile(s.sql, generator.schema()),
                                           generate_dataset(s.generator, kRecords)});
    name = s.name;
  }
  return *held;
}

void route_records(benchmark::State& state, const Scenario& scenario) {
  const Routed& r = routed(scenario);
  const bench::LineProbe line_probe(state);
  const bool by_key = r.query->partitioning() == Partitioning::ByKey;
  std::vector<std::vector<const Record*>> staged(kPartitions);
  for (auto& s : staged) s.reserve(kBatch);
  const std::vector<RecordPtr>& records = r.data.records;
  size_t next = 0;
  for (auto _ : state) {
    for (size_t i = 0; i < kBatch; ++i) {
      const Record& rec = *records[next + i];
      const uint64_t hash = by_key ? r.query->partition_hash(rec) : rec.row_hash();
      staged[static_cast<size_t>(partition_of(hash, kPartitions))].push_back(&rec);
    }
    for (auto& s : staged) {
      benchmark::DoNotOptimize(s.data());
      s.clear();
    }
    next += kBatch;
    if (next + kBatch > records.size()) next = 0;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kBatch));
}

// Registered per scenario file at start-up, so a new scenario gets its benchmark.
const bool registered = [] {
  static const std::vector<Scenario> scenarios = load_scenarios(default_scenario_dir());
  for (const Scenario& s : scenarios)
    benchmark::RegisterBenchmark(("routing/records/" + s.name).c_str(),
                                 [&s](benchmark::State& state) { route_records(state, s); })
        ->UseRealTime();
  return true;
}();

}  // namespace
}  // namespace sg

SG_BENCHMARK_MAIN()
