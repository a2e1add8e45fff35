// The open-loop source of a latency run: a DataReader over records in memory that releases each
// record no earlier than its intended time (ReleaseSchedule), and never later than it can: when
// the pipeline falls behind, everything already due is released at once (up to the read's max),
// nothing is dropped, and the backlog is recorded. Between releases it waits on the run's clock
// (latency_clock.h): on the steady clock it sleeps to the next intended time (with the thread's
// timer slack cut to 1 ns) and yields the CPU through waits too short to sleep, so pacing takes
// no core from the pipeline.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "harness/job/data_reader.h"
#include "harness/job/dataset.h"
#include "harness/job/latency_histogram.h"
#include "harness/latency/latency_clock.h"
#include "harness/latency/release_schedule.h"

namespace sg {

// What one paced reader saw. Written by the reading thread only; read after the run.
struct SourceStats {
  uint64_t released = 0;
  uint64_t releases = 0;  // read calls that released records
  // Records that were overdue behind the first one a release gave out: 0 while the pipeline
  // keeps up, the records behind a stall when it does not.
  uint64_t max_backlog = 0;
  int64_t last_release_ns = 0;  // on the run's clock (latency_clock.h)
  // How late each release was against the time it waited for (the first record's intended
  // time, or the end of its linger): the pacing's own accuracy (a backlog shows up here too).
  LatencyHistogram release_lag;
};

class PacedReader final : public DataReader {
 public:
  // `records`: the stream or one partition of it; each record's offset is its stream position,
  // which indexes `schedule`. `stats` outlives the reader. `linger_ns` > 0: a read waits for a
  // full batch (its max) to fall due, but at most linger_ns past the first record's intended
  // time (Kafka's linger.ms); 0 (the default, docs/design-notes.md#linger-default): a read
  // releases whatever is due once the first record is. `clock`: null for the steady clock, or
  // one that outlives the reader (latency_clock.h).
  PacedReader(SharedDataset records, std::shared_ptr<ReleaseSchedule> schedule, SourceStats& stats,
              int64_t linger_ns = 0, LatencyClock* clock = nullptr);

  ReadResult read(size_t max, Batch& out) override;
  std::optional<ReadView> read_view(size_t max) override;
  void commit() override { committed_ = position_; }
  uint64_t records_read() const override { return position_; }
  uint64_t records_committed() const override { return committed_; }

 private:
  // Waits until at least one record is due and returns how many to release (1..max).
  size_t release(size_t max);

  SharedDataset records_;
  std::shared_ptr<ReleaseSchedule> schedule_;
  SourceStats& stats_;
  std::vector<int64_t> due_;  // intended offset (ns after start) of each of this reader's records
  size_t position_ = 0;
  size_t committed_ = 0;
  size_t due_cursor_ = 0;  // records due by the last clock read
  int64_t start_ns_ = 0;   // 0 until the first read
  int64_t linger_ns_;
  LatencyClock* clock_;
};

}  // namespace sg
