// Where a job's output rows go. Writers take batches of shared records (they keep a reference if
// they must hold on to a row; they never copy it) and report failures by throwing SinkError, which
// the job turns into a clean stop with the counts committed so far.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>

#include "engine/record.h"

namespace sg {

class SinkError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

class DataWriter {
 public:
  virtual ~DataWriter() = default;
  virtual void write(std::span<const RecordPtr> rows) = 0;
  // Pushes buffered rows to their destination.
  virtual void flush() {}
  // Makes everything written so far durable/visible; rows_committed() counts them.
  virtual void commit() = 0;
  virtual uint64_t rows_written() const = 0;
  virtual uint64_t rows_committed() const = 0;
};

}  // namespace sg
