#include "harness/strategies/partition_split.h"

#include <cassert>
#include <memory>

namespace sg {

std::vector<SharedDataset> split_dataset(const Dataset& dataset, int partitions, SplitMode mode,
                                         const KeyHashFn& key_hash) {
  assert(partitions >= 1 && "split_dataset needs at least one partition");
  assert((mode == SplitMode::RoundRobin || key_hash) && "KeyHash split needs a key hash function");
  std::vector<std::shared_ptr<Dataset>> parts;
  for (int p = 0; p < partitions; ++p) {
    auto part = std::make_shared<Dataset>();
    part->schema = dataset.schema;
    part->records.reserve(dataset.records.size() / static_cast<size_t>(partitions) + 1);
    parts.push_back(std::move(part));
  }
  size_t next = 0;
  for (const RecordPtr& record : dataset.records) {
    const int p = mode == SplitMode::KeyHash
                      ? partition_of(key_hash(*record), partitions)
                      : static_cast<int>(next++ % static_cast<size_t>(partitions));
    parts[static_cast<size_t>(p)]->records.push_back(record);
  }
  return {parts.begin(), parts.end()};
}

}  // namespace sg
