// What adaptive's reader does per record when it feeds several partitions: read the record's
// partition key (the query's, or the whole row for a stateless query), hash it, pick the
// partition (partition_of) and stage the record's pointer for that partition's queue, over a
// scenario's records as the reader holds them: lent (a million made beforehand, in stream order,
// each first touched here as in a lent cell) or decoded (each batch just decoded, as a
// materialized source's reader routes it).
//
//   routing/records/<scenario>/real_time     batches of 1,000 records routed to 2 partitions;
//                                            items = records
//   routing/decoded/<scenario>/manual_time   the same over each batch just decoded from the
//                                            scenario's encoded records, as a materialized
//                                            source's reader routes them; only the routing is
//                                            timed (decoding and freeing are the reader's own)
//
// The overhead model charges it per record to the reader's path of adaptive cells with more
// than one partition (harness/analysis/overhead_components.cpp, routing): decoded for a
// materialized source, whose reader routes records still in its cache, lent otherwise. Over a
// million lent records the first touches go to memory: a key held apart from its record (a
// string's bytes) costs several times what it does in cache (design-notes#model-shortfalls).
// Its distance moves when the host moves the vCPUs: so both note the cross-core regime of each
// repetition too (line_probe.h), and scripts/run reads them before the matrices as well.
#include <chrono>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engine/query.h"
#include "harness/io/materializing_reader.h"
#include "harness/io/record_log.h"
#include "harness/strategies/partition_split.h"  // partition_of
#include "harness/workload/generator.h"
#include "harness/workload/scenario.h"
#include "microbench/line_probe.h"
#include "microbench/quick_main.h"

namespace sg {
namespace {

constexpr uint64_t kRecords = 1'000'000;  // the matrices' default cell size
constexpr uint64_t kEncodedRecords = 100'000;  // decoded over and over: fresh records each batch
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

// The reader's routing of one batch: each record's partition, its pointer staged for it.
class Router {
 public:
  explicit Router(const CompiledQuery& query)
      : query_(query), by_key_(query.partitioning() == Partitioning::ByKey), staged_(kPartitions) {
    for (auto& s : staged_) s.reserve(kBatch);
  }
  void route(std::span<const RecordPtr> batch) {
    for (const RecordPtr& rec : batch) {
      const uint64_t hash = by_key_ ? query_.partition_hash(*rec) : rec->row_hash();
      staged_[static_cast<size_t>(partition_of(hash, kPartitions))].push_back(rec.get());
    }
    for (auto& s : staged_) {
      benchmark::DoNotOptimize(s.data());
      s.clear();
    }
  }

 private:
  const CompiledQuery& query_;
  bool by_key_;
  std::vector<std::vector<const Record*>> staged_;
};

void route_records(benchmark::State& state, const Scenario& scenario) {
  const Routed& r = routed(scenario);
  const bench::LineProbe line_probe(state);
  Router router(*r.query);
  const std::vector<RecordPtr>& records = r.data.records;
  size_t next = 0;
  for (auto _ : state) {
    router.route(std::span<const RecordPtr>(records).subspan(next, kBatch));
    next += kBatch;
    if (next + kBatch > records.size()) next = 0;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kBatch));
}

void route_decoded(benchmark::State& state, const Scenario& scenario) {
  using Clock = std::chrono::steady_clock;
  const auto query = CompiledQuery::compile(scenario.sql, Generator(scenario.generator).schema());
  const SharedRecordLog log = std::make_shared<const RecordLog>(
      RecordLog::encode(generate_dataset(scenario.generator, kEncodedRecords).records));
  const bench::LineProbe line_probe(state);
  Router router(*query);
  MaterializingReader reader(log);
  Batch batch;
  batch.reserve(kBatch);
  for (auto _ : state) {
    batch.clear();
    if (reader.read(kBatch, batch).end_of_stream && batch.empty()) {
      reader = MaterializingReader(log);
      reader.read(kBatch, batch);
    }
    const Clock::time_point start = Clock::now();
    router.route(batch);
    state.SetIterationTime(std::chrono::duration<double>(Clock::now() - start).count());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kBatch));
}

// Registered per scenario file at start-up, so a new scenario gets its benchmark.
const bool registered = [] {
  static const std::vector<Scenario> scenarios = load_scenarios(default_scenario_dir());
  for (const Scenario& s : scenarios) {
    benchmark::RegisterBenchmark(("routing/records/" + s.name).c_str(),
                                 [&s](benchmark::State& state) { route_records(state, s); })
        ->UseRealTime();
    benchmark::RegisterBenchmark(("routing/decoded/" + s.name).c_str(),
                                 [&s](benchmark::State& state) { route_decoded(state, s); })
        ->UseManualTime();
  }
  return true;
}();

}  // namespace
}  // namespace sg

SG_BENCHMARK_MAIN()
