// A sink that keeps every row it is given (shared, not copied), for tests that look at rows.
#pragma once

#include <cstdint>
#include <span>

#include "harness/io/digest_writer.h"
#include "harness/job/data_writer.h"

namespace sg {

class CollectingWriter final : public DataWriter, public DigestSource {
 public:
  void write(std::span<const RecordPtr> rows) override {
    rows_.insert(rows_.end(), rows.begin(), rows.end());
  }
  void commit() override { committed_ = rows_.size(); }
  uint64_t rows_written() const override { return rows_.size(); }
  uint64_t rows_committed() const override { return committed_; }
  Digest digest() const override {
    Digest d;
    for (const RecordPtr& row : rows_) d.add(*row);
    return d;
  }
  const Batch& rows() const { return rows_; }

 private:
  Batch rows_;
  uint64_t committed_ = 0;
};

}  // namespace sg
