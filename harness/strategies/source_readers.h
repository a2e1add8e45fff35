// The default readers of a job, by JobConfig::source (harness/job/source_kind.h): memory readers
// that lend (lent) or share (shared) the dataset's records, or materializing readers over a log
// of them (materialized). Partition p of n reads the dataset split by key hash for ByKey (with
// query->partition_hash) and round robin otherwise. The split, and for materialized the encoding
// of each part, is made once per partition count, on the first call: make a reader before
// timing starts, and every later reader of that count costs only its own construction. Factories
// over the same dataset and split share one encoding while any of them holds it, so that a
// matrix keeps one log per partition count of its data, not one per cell.
#pragma once

#include <memory>

#include "engine/query.h"
#include "harness/job/job.h"

namespace sg {

ReaderFactory source_reader_factory(SourceKind source, SharedDataset dataset,
                                    Partitioning partitioning,
                                    std::shared_ptr<const CompiledQuery> query);

}  // namespace sg
