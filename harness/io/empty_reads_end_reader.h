// A reader that ends its stream the way seed 002's job server did: it hides the inner reader's
// end marker and reports end of stream only after EmptyReadsEnd::reads consecutive empty reads,
// sleeping EmptyReadsEnd::sleep after each empty read but the last. A non-empty read resets the
// count. Exists to measure that rule against the explicit marker (data_reader.h says why the
// harness itself never infers the end).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "harness/job/data_reader.h"
#include "harness/job/job.h"

namespace sg {

class EmptyReadsEndReader final : public DataReader {
 public:
  EmptyReadsEndReader(std::unique_ptr<DataReader> inner, EmptyReadsEnd rule);

  ReadResult read(size_t max, Batch& out) override;
  std::optional<ReadView> read_view(size_t max) override;
  void commit() override { inner_->commit(); }
  uint64_t records_read() const override { return inner_->records_read(); }
  uint64_t records_committed() const override { return inner_->records_committed(); }

  // Reads that returned no record (the ones that ended the stream included).
  uint64_t empty_reads() const { return empty_reads_; }
  // Sleeps taken between empty reads.
  uint64_t sleeps() const { return sleeps_; }

 private:
  // Counts an empty read, sleeps unless it is the last the rule allows; true: the stream ends.
  bool empty_read();

  std::unique_ptr<DataReader> inner_;
  EmptyReadsEnd rule_;
  bool inner_ended_ = false;  // the inner reader announced its end: it is not read again
  int consecutive_empty_ = 0;
  uint64_t empty_reads_ = 0;
  uint64_t sleeps_ = 0;
};

// Wraps every reader `base` makes.
ReaderFactory end_by_empty_reads(ReaderFactory base, EmptyReadsEnd rule);

}  // namespace sg
