// The engine contract every coordination strategy drives: records in, output rows appended to
// the caller's batch, then finish() at end of stream.
//
// An Engine instance is single-threaded and takes no lock: strategies that share one across
// threads must bring their own lock (that cost is what they measure). Strategies that run N
// partitions create N instances from the same CompiledQuery.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>

#include "engine/record.h"

namespace sg {

struct EngineStats {
  uint64_t records_in = 0;
  uint64_t records_out = 0;
  uint64_t late_records = 0;  // dropped because their tumbling window had already closed
};

// A failure while processing a record (as opposed to compiling the query).
class EngineError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Engine {
 public:
  virtual ~Engine() = default;
  // Appends 0..n output rows for one input record. An output row's meta().offset names the
  // input record it came from (a latency is measured from that record's release): the record
  // itself for filter, projection, continuous GROUP BY and ROWS windows; for an EMIT FINAL window
  // the record that closed it; at finish(), the group's latest input.
  virtual void process(const RecordPtr& in, Batch& out) = 0;
  virtual void process_batch(std::span<const RecordPtr> in, Batch& out) {
    for (const RecordPtr& r : in) process(r, out);
  }
  // End of stream: appends what is still held back (open windows, EMIT FINAL groups).
  virtual void finish(Batch& out) = 0;
  virtual EngineStats stats() const = 0;
};

// Returns each input record as its output and does no SQL work: the same interface, so any
// strategy can measure its pure coordination cost.
std::unique_ptr<Engine> make_passthrough_engine();

}  // namespace sg
