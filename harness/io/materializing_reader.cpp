#include "harness/io/materializing_reader.h"

#include <cassert>

namespace sg {

MaterializingReader::MaterializingReader(SharedRecordLog log) : log_(std::move(log)) {
  assert(log_ && "MaterializingReader needs a log");
}

ReadResult MaterializingReader::read(size_t max, Batch& out) {
  assert(max > 0 && "read(max) needs max > 0");
  const RecordLog& log = *log_;
  const size_t end = log.size();
  size_t n = 0;
  while (n < max && position_ < end) {
    RecordPtr record;
    position_ = log.decode(position_, record);
    out.push_back(std::move(record));
    ++n;
    ++records_read_;
  }
  // The end is announced together with the last records, never by a later empty read.
  return {n, position_ == end};
}

}  // namespace sg
