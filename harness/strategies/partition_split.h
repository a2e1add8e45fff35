// Splitting a dataset into N partitions before timing starts, the way a partitioned source
// (Kafka topic partitions) would already have it.
//
// By key hash for queries that keep state per key, so every key lives in exactly one partition
// and its rows keep their order; round robin for stateless queries. partition_of() is the one
// routing function: the adaptive coordinator routes with it too, so both strategies put a key in
// the same partition.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "engine/query.h"
#include "harness/job/dataset.h"

namespace sg {

enum class SplitMode { KeyHash, RoundRobin };

// Which of `partitions` partitions a record with this key hash belongs to. The hash is mixed
// first: partition keys that differ only in high bits must not all land in one partition.
inline int partition_of(uint64_t key_hash, int partitions) {
  uint64_t x = key_hash ^ (key_hash >> 33);
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return static_cast<int>(x % static_cast<uint64_t>(partitions));
}

using KeyHashFn = std::function<uint64_t(const Record&)>;

// KeyHash needs `key_hash` (e.g. CompiledQuery::partition_hash); RoundRobin ignores it. Records
// keep their stream order inside each partition. partitions >= 1.
std::vector<SharedDataset> split_dataset(const Dataset& dataset, int partitions, SplitMode mode,
                                         const KeyHashFn& key_hash = {});

}  // namespace sg
