// A DataReader over a RecordLog: each read decodes the next messages into fresh records, allocated
// and written on the calling thread, and hands them out with read() (one owner each, no shared
// count to touch). It never lends (read_view): its records are born during the pass, as a real
// source's are, and die with the job (docs/design-notes.md#materialized-source).
#pragma once

#include <cstddef>
#include <cstdint>

#include "harness/io/record_log.h"
#include "harness/job/data_reader.h"

namespace sg {

class MaterializingReader final : public DataReader {
 public:
  explicit MaterializingReader(SharedRecordLog log);

  // Throws SourceError (naming the message's byte offset) on a corrupt or cut-off log; the
  // records decoded before it stay appended and counted.
  ReadResult read(size_t max, Batch& out) override;
  void commit() override { committed_ = records_read_; }
  uint64_t records_read() const override { return records_read_; }
  uint64_t records_committed() const override { return committed_; }

 private:
  SharedRecordLog log_;
  size_t position_ = 0;  // byte offset of the next message
  uint64_t records_read_ = 0;
  uint64_t committed_ = 0;
};

}  // namespace sg
