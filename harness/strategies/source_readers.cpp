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
using PartLogs = std::vector<SharedRecordLog>;

template <class T>
bool same_owner(const std::weak_ptr<T>& a, const std::shared_ptr<T>& b) {
  return !a.owner_before(b) && !b.owner_before(a);
}

// The encoded parts of one split of one dataset, shared by every factory that asks for the same
// split while any of them holds it: a matrix makes a factory per cell, and one encoding of its
// data per partition count is enough. Entries hold weak pointers only; identity is by owner (a
// weak pointer keeps its control block, so a new dataset can never pass for a dead one).
class LogCache {
 public:
  std::shared_ptr<const PartLogs> get(const SharedDataset& dataset,
                                      const std::shared_ptr<const CompiledQuery>& query,
                                      int partitions,
                                      const std::function<std::vector<SharedDataset>()>& split) {
    std::lock_guard lock(mutex_);
    std::erase_if(entries_, [](const Entry& e) { return e.logs.expired(); });
    for (const Entry& e : entries_) {
      if (e.partitions == partitions && same_owner(e.dataset, dataset) &&
          same_owner(e.query, query)) {
        if (auto logs = e.logs.lock()) return logs;
      }
    }
    auto logs = std::make_shared<PartLogs>();
    for (const SharedDataset& part : split())
      logs->push_back(std::make_shared<const RecordLog>(RecordLog::encode(part->records)));
    entries_.push_back({dataset, query, partitions, logs});
    return logs;
  }

 private:
  struct Entry {
    std::weak_ptr<const Dataset> dataset;
    std::weak_ptr<const CompiledQuery> query;  // the split's key hash (null: round robin)
    int partitions;
    std::weak_ptr<const PartLogs> logs;
  };
  std::mutex mutex_;
  std::vector<Entry> entries_;
};

LogCache& log_cache() {
  static LogCache cache;
  return cache;
}

std::vector<SharedDataset> split(const SharedDataset& dataset, int partitions,
                                 Partitioning partitioning, const CompiledQuery* query) {
  if (partitions == 1) return {dataset};
  if (partitioning == Partitioning::ByKey) {
    return split_dataset(*dataset, partitions, SplitMode::KeyHash,
                         [query](const Record& r) { return query->partition_hash(r); });
  }
  return split_dataset(*dataset, partitions, SplitMode::RoundRobin);
}

// One maker per partition: memory readers over its part, or materializing readers over its log.
std::vector<MakeOne> reader_makers(SourceKind source, const SharedDataset& dataset, int partitions,
                                   Partitioning partitioning,
                                   const std::shared_ptr<const CompiledQuery>& query) {
  std::vector<MakeOne> makers;
  if (source == SourceKind::Materialized) {
    const auto split_query = partitioning == Partitioning::ByKey && partitions > 1
                                 ? query
                                 : std::shared_ptr<const CompiledQuery>();
    std::shared_ptr<const PartLogs> logs = log_cache().get(dataset, split_query, partitions, [&] {
      return split(dataset, partitions, partitioning, query.get());
    });
    for (size_t p = 0; p < logs->size(); ++p) {
      makers.push_back([logs, p] { return std::make_unique<MaterializingReader>((*logs)[p]); });
    }
    return makers;
  }
  const auto lending =
      source == SourceKind::Shared ? MemoryReader::Lending::Off : MemoryReader::Lending::On;
  for (SharedDataset& part : split(dataset, partitions, partitioning, query.get())) {
    makers.push_back([part = std::move(part), lending] {
      return std::make_unique<MemoryReader>(part, lending);
    });
  }
  return makers;
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
    if (makers.empty()) makers = reader_makers(source, dataset, partitions, partitioning, query);
    return makers[static_cast<size_t>(partition)]();
  };
}

}  // namespace sg
