// The sink of a latency run: for every output row, the time from the intended release of the
// input record that produced it to the moment the row reaches this writer, into a histogram.
// Which input produced a row is its RecordMeta::offset (the engine's contract: a filtered or
// projected row, a continuous GROUP BY or ROWS window row carries its input's offset; an EMIT
// FINAL window row carries the record that closed the window; rows emitted at end of stream
// carry their group's latest input). The clock is read once per write(), when a batch of rows
// arrives. The rows are digested as by DigestWriter, so a latency run still proves its output.
#pragma once

#include <memory>
#include <span>

#include "harness/io/digest_writer.h"
#include "harness/job/latency_histogram.h"
#include "harness/latency/latency_clock.h"
#include "harness/latency/release_schedule.h"

namespace sg {

class LatencyWriter final : public DataWriter, public DigestSource {
 public:
  // `histogram` outlives the writer; it is this writer's alone (a writer is written by one
  // thread at a time: its own, or under the strategy's lock). `clock`: null for the steady
  // clock, or the run's (latency_clock.h), outliving the writer.
  LatencyWriter(std::shared_ptr<const ReleaseSchedule> schedule, LatencyHistogram& histogram,
                LatencyClock* clock = nullptr);

  void write(std::span<const RecordPtr> rows) override;
  void commit() override { digest_.commit(); }
  uint64_t rows_written() const override { return digest_.rows_written(); }
  uint64_t rows_committed() const override { return digest_.rows_committed(); }
  Digest digest() const override { return digest_.digest(); }

 private:
  std::shared_ptr<const ReleaseSchedule> schedule_;
  LatencyHistogram& histogram_;
  LatencyClock* clock_;
  DigestWriter digest_;
};

}  // namespace sg
