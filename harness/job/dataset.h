// A stream materialised in memory before timing starts: generated data, or a file read once.
// Records are immutable and shared, so readers over a Dataset (whole or split into partitions)
// hand out references, never copies.
#pragma once

#include <memory>
#include <vector>

#include "engine/record.h"
#include "engine/schema.h"

namespace sg {

struct Dataset {
  Schema schema;
  std::vector<RecordPtr> records;  // stream order; RecordMeta::offset is the position
};

using SharedDataset = std::shared_ptr<const Dataset>;

}  // namespace sg
