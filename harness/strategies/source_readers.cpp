#include "harness/strategies/source_readers.h"

#include <cassert>
#include <functional>
#include <map>
#include <mutex>
#include <vector>

#include "harness/io/materializing_reader.h"
#include "harness/io/memory_reader.h"
#include "harness/io/record_log.h"
#include "harness/strategies/partition_split.h"

namespace sg {
namespace {

using MakeOne = std::function<std::unique_ptr<DataReader>()>;

// What one partition's readers are made from: its part of the dataset, and its log when the
// source is materialized.
MakeOne reader_maker(SourceKind source, SharedDataset part) {
  switch (source) {
    case SourceKind::Lent:
      return [part] { return std::make_unique<MemoryReader>(part); };
    case SourceKind::Shared:
      return [part] { return std::make_unique<MemoryReader>(part, MemoryReader::Lending::Off); };
    case SourceKind::Materialized: {
      auto log = std::make_shared<const RecordLog>(RecordLog::encode(part->records));
      return [log] { return std::make_unique<MaterializingReader>(log); };
    }
  }
  assert(false && "unknown source kind");
  return {};
}

}  // namespace

ReaderFactory source_reader_factory(SourceKind source, SharedDataset dataset,
                                    Partitioning partitioning,
                                    std::shared_ptr<const CompiledQuery> query) {
  assert(dataset && "the default readers need a dataset");
  assert((partitioning != Partitioning::ByKey || query) && "key-hash split needs the query");
  struct Parts {
    std::mutex mutex;  // factories may be called from several threads
    std::map<int, std::vector<MakeOne>> by_count;
  };
  auto parts = std::make_shared<Parts>();
  return [source, dataset = std::move(dataset), partitioning, query = std::move(query), parts](
             int partition, int partitions) -> std::unique_ptr<DataReader> {
    assert(partition >= 0 && partition < partitions && "partition out of range");
    // The whole stream, lent, needs neither a split nor a log.
    if (partitions == 1 && source == SourceKind::Lent)
      return std::make_unique<MemoryReader>(dataset);
    std::lock_guard lock(parts->mutex);
    std::vector<MakeOne>& makers = parts->by_count[partitions];
    if (makers.empty()) {
      std::vector<SharedDataset> split;
      if (partitions == 1) {
        split = {dataset};
      } else if (partitioning == Partitioning::ByKey) {
        split = split_dataset(*dataset, partitions, SplitMode::KeyHash,
                              [&q = *query](const Record& r) { return q.partition_hash(r); });
      } else {
        split = split_dataset(*dataset, partitions, SplitMode::RoundRobin);
      }
      for (SharedDataset& part : split) makers.push_back(reader_maker(source, std::move(part)));
    }
    return makers[static_cast<size_t>(partition)]();
  };
}

}  // namespace sg
