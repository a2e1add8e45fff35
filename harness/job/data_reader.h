// Where a job's records come from. A reader says explicitly when its stream is exhausted: end of
// stream is never inferred from empty reads or from time passing (the seed's job server waited
// for three empty batches 100 ms apart, adding 300 ms to every run and dropping data behind a
// slow source).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>

#include "engine/record.h"

namespace sg {

// A source that cannot go on (I/O failure, malformed row). The message names what failed: for a
// file row, "FILE:LINE: field 'NAME': ...".
class SourceError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ReadResult {
  size_t count = 0;            // records appended by this call
  bool end_of_stream = false;  // true: no record will follow the ones appended now
};

// Records lent by a reader without handing out references (see DataReader::read_view).
struct ReadView {
  std::span<const RecordPtr> records;
  bool end_of_stream = false;
};

class DataReader {
 public:
  virtual ~DataReader() = default;
  // Appends at most `max` records to `out` (max > 0). Throws SourceError on failure.
  virtual ReadResult read(size_t max, Batch& out) = 0;
  // Zero-copy read, for readers whose records outlive the job (in memory, memory-mapped): lends
  // the next at most `max` records, valid until the next read. Costs no reference-count traffic,
  // which `direct` does not pay either, so a loop over such a reader measures its coordination
  // only. Readers that cannot lend return nothing and are read with read().
  virtual std::optional<ReadView> read_view(size_t max) { return std::nullopt; }
  // Marks everything read so far as consumed.
  virtual void commit() = 0;
  // Records read so far / committed so far.
  virtual uint64_t records_read() const = 0;
  virtual uint64_t records_committed() const = 0;
};

}  // namespace sg
