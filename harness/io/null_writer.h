// A sink that only counts: the floor under every writer, to see what digesting rows costs.
#pragma once

#include <cstdint>
#include <span>

#include "harness/job/data_writer.h"

namespace sg {

class NullWriter final : public DataWriter {
 public:
  void write(std::span<const RecordPtr> rows) override { written_ += rows.size(); }
  void commit() override { committed_ = written_; }
  uint64_t rows_written() const override { return written_; }
  uint64_t rows_committed() const override { return committed_; }

 private:
  uint64_t written_ = 0;
  uint64_t committed_ = 0;
};

}  // namespace sg
