// A DataReader over a Dataset already in memory: hands out shared records (one atomic increment
// each, no copy) or, through read_view(), lends them without touching their counts, so a run
// measures the strategy, not parsing. With Lending::Off it never lends, so every reader of it
// pays the counts (the `shared` source, harness/job/source_kind.h).
#pragma once

#include <cstddef>
#include <cstdint>

#include "harness/job/data_reader.h"
#include "harness/job/dataset.h"

namespace sg {

class MemoryReader final : public DataReader {
 public:
  // Reads `dataset` (a whole stream, or one partition made by split_dataset) from the start.
  enum class Lending { On, Off };
  explicit MemoryReader(SharedDataset dataset, Lending lending = Lending::On);

  ReadResult read(size_t max, Batch& out) override;
  std::optional<ReadView> read_view(size_t max) override;
  void commit() override { committed_ = position_; }
  uint64_t records_read() const override { return position_; }
  uint64_t records_committed() const override { return committed_; }

 private:
  SharedDataset dataset_;
  Lending lending_;
  size_t position_ = 0;
  size_t committed_ = 0;
};

}  // namespace sg
