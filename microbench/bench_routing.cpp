// What it costs to choose a record's partition: hashing its key (an integer, an 8-character
// string, a (string, string) pair) the way the coordinator does, then mapping the hash to one of
// N partitions; against the key-free choices, round robin and sticky (one partition per run of
// records, e.g. per batch). Keys cycle through 1024 distinct values built before timing.
#include <string>
#include <vector>

#include "engine/key_hash.h"
#include "engine/value.h"
#include "harness/strategies/partition_split.h"  // partition_of
#include "microbench/quick_main.h"

namespace sg {
namespace {

constexpr size_t kKeys = 1024;     // a power of two: the cycling index is a mask, not a division
volatile int partitions_knob = 8;  // read at run time, so the modulo is a real division

std::vector<Value> integer_keys() {
  std::vector<Value> keys;
  for (size_t i = 0; i < kKeys; ++i) keys.push_back(Value::integer(static_cast<int64_t>(i * 7919)));
  return keys;
}

std::vector<Value> string_keys(const char* prefix) {
  std::vector<Value> keys;
  for (size_t i = 0; i < kKeys; ++i) {
    std::string s = prefix + std::to_string(10000 + i);  // 8 characters
    keys.push_back(Value::string(s.substr(0, 8)));
  }
  return keys;
}

// Value::hash() of one key, as GROUP BY digests and the seeds' routing hash one value.
void hash_integer(benchmark::State& state) {
  const auto keys = integer_keys();
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(keys[i++ & (kKeys - 1)].hash());
  state.SetItemsProcessed(state.iterations());
}

void hash_string8(benchmark::State& state) {
  const auto keys = string_keys("SYM");
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(keys[i++ & (kKeys - 1)].hash());
  state.SetItemsProcessed(state.iterations());
}

void hash_string_pair(benchmark::State& state) {
  const auto first = string_keys("SYM");
  const auto second = string_keys("EXC");
  size_t i = 0;
  for (auto _ : state) {
    const size_t k = i++ & (kKeys - 1);
    benchmark::DoNotOptimize(hash_combine(hash_combine(0, first[k].hash()), second[k].hash()));
  }
  state.SetItemsProcessed(state.iterations());
}

// engine/key_hash.h: the key hash the engine's partition_hash() and group tables use (strings 8
// bytes at a time).
void key_hash_string_pair(benchmark::State& state) {
  const auto first = string_keys("SYM");
  const auto second = string_keys("EXC");
  size_t i = 0;
  for (auto _ : state) {
    const size_t k = i++ & (kKeys - 1);
    benchmark::DoNotOptimize(key_hash_add(key_hash_add(kKeyHashSeed, first[k]), second[k]));
  }
  state.SetItemsProcessed(state.iterations());
}

// Hash already known (RecordMeta::key_hash): only the mapping to a partition.
void partition_modulo(benchmark::State& state) {
  const int partitions = partitions_knob;
  uint64_t h = 0x9e3779b97f4a7c15ULL;
  for (auto _ : state) {
    h += 0x9e3779b97f4a7c15ULL;
    benchmark::DoNotOptimize(h % static_cast<uint64_t>(partitions));
  }
  state.SetItemsProcessed(state.iterations());
}

// harness/strategies/partition_split.h: mixes the hash first, then the modulo.
void partition_of_hash(benchmark::State& state) {
  const int partitions = partitions_knob;
  uint64_t h = 0x9e3779b97f4a7c15ULL;
  for (auto _ : state) {
    h += 0x9e3779b97f4a7c15ULL;
    benchmark::DoNotOptimize(partition_of(h, partitions));
  }
  state.SetItemsProcessed(state.iterations());
}

// The whole keyed choice for a (string, string) key: hash, then partition.
void route_string_pair(benchmark::State& state) {
  const int partitions = partitions_knob;
  const auto first = string_keys("SYM");
  const auto second = string_keys("EXC");
  size_t i = 0;
  for (auto _ : state) {
    const size_t k = i++ & (kKeys - 1);
    const uint64_t h = key_hash_add(key_hash_add(kKeyHashSeed, first[k]), second[k]);
    benchmark::DoNotOptimize(partition_of(h, partitions));
  }
  state.SetItemsProcessed(state.iterations());
}

void round_robin(benchmark::State& state) {
  const int partitions = partitions_knob;
  int next = 0;
  for (auto _ : state) {
    next = next + 1 == partitions ? 0 : next + 1;
    benchmark::DoNotOptimize(next);
  }
  state.SetItemsProcessed(state.iterations());
}

// One partition for a run of state.range(0) records, then the next one (round robin per run).
void sticky(benchmark::State& state) {
  const int partitions = partitions_knob;
  const int64_t run = state.range(0);
  int partition = 0;
  int64_t left = run;
  for (auto _ : state) {
    if (--left == 0) {
      left = run;
      partition = partition + 1 == partitions ? 0 : partition + 1;
    }
    benchmark::DoNotOptimize(partition);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(hash_integer)->Name("routing/hash/integer");
BENCHMARK(hash_string8)->Name("routing/hash/string8");
BENCHMARK(hash_string_pair)->Name("routing/hash/string_pair");
BENCHMARK(key_hash_string_pair)->Name("routing/key_hash/string_pair");
BENCHMARK(partition_modulo)->Name("routing/partition/modulo");
BENCHMARK(partition_of_hash)->Name("routing/partition/partition_of");
BENCHMARK(route_string_pair)->Name("routing/keyed/string_pair");
BENCHMARK(round_robin)->Name("routing/round_robin");
BENCHMARK(sticky)->Name("routing/sticky")->ArgName("run")->Arg(256);

}  // namespace
}  // namespace sg

SG_BENCHMARK_MAIN()
