// The read phase per record under each source (harness/job/source_kind.h), single-threaded: what
// a strategy's reader pays before the engine sees a record. One iteration reads the whole
// dataset in batches of 1,000, as a job's loop does; items/s is records per second.
//
//   source/lent/<data>             read_view: lends the dataset's records, touches none
//   source/shared/<data>           read(): one atomic increment per record, and the decrement
//                                  when the batch is cleared
//   source/decode_and_free/<data>  a MaterializingReader: decodes each message into a fresh
//                                  record, freed when the batch is cleared (as direct frees it)
//   source/decode/<data>           the same, with every record kept until the iteration's end and
//                                  freed with the timer stopped: the decode and allocation alone
//   source/allocate_and_free/<data>  no log: a record of the same width built from constants and
//                                  freed as in decode_and_free: the floor of any source that
//                                  hands out a fresh record per message
//   source/decode_general/<data>   source/decode on the same records in the log's general form
//                                  (a type tag and a bounds check per value): what the schema
//                                  saves (harness/io/record_log.h)
//
// <data> is the s0_pure_select scenario's generated records (4 fields) or a wide synthetic
// record (16 fields: integers, floats, short and long strings, a boolean, a timestamp, a NULL).
#include <string>
#include <vector>

#include "harness/io/materializing_reader.h"
#include "harness/io/memory_reader.h"
#include "harness/io/record_log.h"
#include "harness/workload/generator.h"
#include "harness/workload/scenario.h"
#include "microbench/quick_main.h"

namespace sg {
namespace {

constexpr uint64_t kRecords = 200'000;
constexpr size_t kBatch = 1000;

SharedDataset s0_records() {
  static const SharedDataset data = [] {
    for (const Scenario& s : load_scenarios(default_scenario_dir()))
      if (s.name == "s0_pure_select")
        return std::make_shared<const Dataset>(generate_dataset(s.generator, kRecords));
    throw std::runtime_error("bench_sources: scenario s0_pure_select not found");
  }();
  return data;
}

SharedDataset wide_records() {
  static const SharedDataset data = [] {
    auto ds = std::make_shared<Dataset>();
    for (uint64_t i = 0; i < kRecords; ++i) {
      RecordMeta meta;
      meta.event_time = 1'700'000'000'000 + static_cast<int64_t>(i);
      meta.offset = static_cast<int64_t>(i);
      const auto n = static_cast<int64_t>(i);
      ds->records.push_back(RecordPtr::make(
          {Value::integer(n), Value::integer(n * 7 % 1000), Value::integer(-n),
           Value::floating(static_cast<double>(n) / 3), Value::floating(1.5),
           Value::floating(static_cast<double>(n % 97)),
           Value::string("SYM" + std::to_string(i % 100)),
           Value::string("TRADER" + std::to_string(i % 20)), Value::string("NASDAQ"),
           Value::string("ORD-2024-" + std::to_string(1'000'000'000 + i)),
           Value::string("a longer free-text note on order " + std::to_string(i)),
           Value::boolean(i % 2 == 0), Value::timestamp(meta.event_time), Value::null(),
           Value::integer(n % 3), Value::floating(0.25)},
          meta));
    }
    return SharedDataset(ds);
  }();
  return data;
}

SharedDataset dataset_for(int which) {
  return which == 0 ? s0_records() : wide_records();
}

void lent(benchmark::State& state) {
  const SharedDataset data = dataset_for(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    MemoryReader reader(data);
    bool end = false;
    while (!end) {
      const std::optional<ReadView> view = reader.read_view(kBatch);
      benchmark::DoNotOptimize(view->records.data());
      end = view->end_of_stream;
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(data->records.size()));
}

void shared(benchmark::State& state) {
  const SharedDataset data = dataset_for(static_cast<int>(state.range(0)));
  Batch batch;
  batch.reserve(kBatch);
  for (auto _ : state) {
    MemoryReader reader(data, MemoryReader::Lending::Off);
    bool end = false;
    while (!end) {
      batch.clear();
      end = reader.read(kBatch, batch).end_of_stream;
      benchmark::DoNotOptimize(batch.data());
    }
    batch.clear();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(data->records.size()));
}

void decode_and_free(benchmark::State& state) {
  const SharedDataset data = dataset_for(static_cast<int>(state.range(0)));
  const auto log = std::make_shared<const RecordLog>(RecordLog::encode(data->records));
  Batch batch;
  batch.reserve(kBatch);
  for (auto _ : state) {
    MaterializingReader reader(log);
    bool end = false;
    while (!end) {
      batch.clear();
      end = reader.read(kBatch, batch).end_of_stream;
      benchmark::DoNotOptimize(batch.data());
    }
    batch.clear();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(data->records.size()));
  state.counters["log_bytes_per_record"] =
      static_cast<double>(log->size()) / static_cast<double>(data->records.size());
}

void allocate_and_free(benchmark::State& state) {
  const SharedDataset data = dataset_for(static_cast<int>(state.range(0)));
  const size_t width = data->records.front()->size();
  const size_t records = data->records.size();
  Batch batch;
  batch.reserve(kBatch);
  for (auto _ : state) {
    for (size_t done = 0; done < records; done += kBatch) {
      batch.clear();
      for (size_t i = 0; i < kBatch && done + i < records; ++i) {
        RecordAppender values(width);
        values.meta().offset = static_cast<int64_t>(done + i);
        for (size_t f = 0; f < width; ++f) values.emplace([] { return Value::integer(1); });
        batch.push_back(values.build());
      }
      benchmark::DoNotOptimize(batch.data());
    }
    batch.clear();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(records));
}

SharedRecordLog general_log(const SharedDataset& data) {
  RecordLog log;
  for (const RecordPtr& r : data->records) log.append(*r);
  return std::make_shared<const RecordLog>(std::move(log));
}

void decode_log(benchmark::State& state, const SharedDataset& data, const SharedRecordLog& log) {
  Batch all;
  all.reserve(data->records.size());
  for (auto _ : state) {
    MaterializingReader reader(log);
    while (!reader.read(kBatch, all).end_of_stream) {
    }
    benchmark::DoNotOptimize(all.data());
    state.PauseTiming();
    all.clear();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(data->records.size()));
  state.counters["log_bytes_per_record"] =
      static_cast<double>(log->size()) / static_cast<double>(data->records.size());
}

void decode(benchmark::State& state) {
  const SharedDataset data = dataset_for(static_cast<int>(state.range(0)));
  decode_log(state, data, std::make_shared<const RecordLog>(RecordLog::encode(data->records)));
}

void decode_general(benchmark::State& state) {
  const SharedDataset data = dataset_for(static_cast<int>(state.range(0)));
  decode_log(state, data, general_log(data));
}

// Arg 0: s0_pure_select's records; arg 1: the wide record.
BENCHMARK(lent)->Name("source/lent")->ArgName("wide")->Arg(0)->Arg(1);
BENCHMARK(shared)->Name("source/shared")->ArgName("wide")->Arg(0)->Arg(1);
BENCHMARK(decode_and_free)->Name("source/decode_and_free")->ArgName("wide")->Arg(0)->Arg(1);
BENCHMARK(decode)->Name("source/decode")->ArgName("wide")->Arg(0)->Arg(1);
BENCHMARK(allocate_and_free)->Name("source/allocate_and_free")->ArgName("wide")->Arg(0)->Arg(1);
BENCHMARK(decode_general)->Name("source/decode_general")->ArgName("wide")->Arg(0)->Arg(1);

}  // namespace
}  // namespace sg

SG_BENCHMARK_MAIN()
