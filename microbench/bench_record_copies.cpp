// What moving a record between pipeline stages costs depending on how it is represented and
// shared: the seeds' engine cloned a StreamRecord (a hash map of field name to value) on every
// hand-off; ours shares one immutable Record by reference count and copies only on write.
//
//   copy/seed_map/deep_copy       the seed's representation, copied
//   copy/record/deep_copy         our Record, copied (one allocation; strings shared)
//   copy/record/share             copying a RecordPtr: one atomic increment (and the decrement
//                                 when the copy goes)
//   copy/record/with_header/1     adding a trace header to a record nobody else holds: in place
//   copy/record/with_header/2     the same with a second owner: copy on write
//
// Records hold five fields: symbol, price, volume, exchange, order id.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "engine/record.h"
#include "microbench/quick_main.h"

namespace sg {
namespace {

// The seeds' StreamRecord, rebuilt in C++ from their description (a Rust
// HashMap<String, FieldValue> plus timestamp, offset, partition and headers). The Rust version
// heap-allocates every String; here std::string keeps short ones inline (SSO), so this copy is,
// if anything, cheaper than the original. The order id is long enough to need the heap.
using SeedFieldValue = std::variant<std::monostate, int64_t, double, std::string, bool>;
struct SeedStreamRecord {
  std::unordered_map<std::string, SeedFieldValue> fields;
  int64_t timestamp = 0;
  int64_t offset = 0;
  int32_t partition = 0;
  std::unordered_map<std::string, std::string> headers;
};

SeedStreamRecord make_seed_record() {
  SeedStreamRecord r;
  r.fields.emplace("symbol", std::string("AAPL"));
  r.fields.emplace("price", 187.25);
  r.fields.emplace("volume", int64_t{1200});
  r.fields.emplace("exchange", std::string("NASDAQ"));
  r.fields.emplace("order_id", std::string("ORD-2024-000000012345"));
  r.timestamp = 1700000000000;
  r.offset = 42;
  return r;
}

RecordPtr make_record() {
  RecordMeta meta;
  meta.event_time = 1700000000000;
  meta.offset = 42;
  return RecordPtr::make({Value::string("AAPL"), Value::floating(187.25), Value::integer(1200),
                          Value::string("NASDAQ"), Value::string("ORD-2024-000000012345")},
                         meta);
}

void seed_map_deep_copy(benchmark::State& state) {
  const SeedStreamRecord original = make_seed_record();
  for (auto _ : state) {
    SeedStreamRecord copy = original;
    benchmark::DoNotOptimize(copy);
  }
  state.SetItemsProcessed(state.iterations());
}

void record_deep_copy(benchmark::State& state) {
  const RecordPtr original = make_record();
  for (auto _ : state) {
    RecordPtr copy = original.deep_copy();
    benchmark::DoNotOptimize(copy);
  }
  state.SetItemsProcessed(state.iterations());
}

void record_share(benchmark::State& state) {
  const RecordPtr original = make_record();
  for (auto _ : state) {
    RecordPtr copy = original;
    benchmark::DoNotOptimize(copy);
  }
  state.SetItemsProcessed(state.iterations());
}

// with_header changes the record it is given, so each iteration needs a fresh, header-less one:
// they are built kPrepared at a time with the timer paused (the pause is amortised over all of
// them). With owners == 2 a second reference to each is kept, which forces the copy.
void record_with_header(benchmark::State& state) {
  constexpr size_t kPrepared = 4096;
  const bool shared = state.range(0) == 2;
  const RecordPtr original = make_record();
  Batch fresh, other_owner, tagged;
  size_t next = kPrepared;
  for (auto _ : state) {
    if (next == kPrepared) {
      state.PauseTiming();
      fresh.clear();
      other_owner.clear();
      tagged.clear();
      for (size_t i = 0; i < kPrepared; ++i) {
        fresh.push_back(original.deep_copy());
        if (shared) other_owner.push_back(fresh.back());
      }
      tagged.reserve(kPrepared);
      next = 0;
      state.ResumeTiming();
    }
    tagged.push_back(std::move(fresh[next++]).with_header("trace_id", "4bf92f3577b34da6"));
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(seed_map_deep_copy)->Name("copy/seed_map/deep_copy");
BENCHMARK(record_deep_copy)->Name("copy/record/deep_copy");
BENCHMARK(record_share)->Name("copy/record/share");
BENCHMARK(record_with_header)->Name("copy/record/with_header")->ArgName("owners")->Arg(1)->Arg(2);

}  // namespace
}  // namespace sg

SG_BENCHMARK_MAIN()
