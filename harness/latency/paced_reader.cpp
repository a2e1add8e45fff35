#include "harness/latency/paced_reader.h"

#include <sys/prctl.h>

#include <algorithm>
#include <cassert>
#include <string>

namespace sg {

PacedReader::PacedReader(SharedDataset records, std::shared_ptr<ReleaseSchedule> schedule,
                         SourceStats& stats, int64_t linger_ns, LatencyClock* clock)
    : records_(std::move(records)),
      schedule_(std::move(schedule)),
      stats_(stats),
      linger_ns_(linger_ns),
      clock_(clock) {
  assert(records_ && schedule_ && "a paced reader needs records and a schedule");
  due_.reserve(records_->records.size());
  for (const RecordPtr& r : records_->records) {
    const int64_t offset = r->offset();
    if (offset < 0 || static_cast<size_t>(offset) >= schedule_->size())
      throw SourceError("paced source: record offset " + std::to_string(offset) +
                        " is outside the schedule of " + std::to_string(schedule_->size()) +
                        " records");
    due_.push_back(schedule_->offset_ns(static_cast<size_t>(offset)));
  }
}

size_t PacedReader::release(size_t max) {
  int64_t now = latency_now_ns(clock_);
  if (start_ns_ == 0) {
    // The thread that reads is the one that sleeps: precise wake-ups for it alone.
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    start_ns_ = schedule_->start_once(now);
  }
  const size_t n = due_.size();
  int64_t target = start_ns_ + due_[position_];
  if (linger_ns_ > 0) {
    const size_t last_of_batch = std::min(position_ + max, n) - 1;
    target = std::min(start_ns_ + due_[last_of_batch], target + linger_ns_);
  }
  if (now < target) now = latency_wait_until(clock_, target);
  stats_.release_lag.record_signed(now - target);
  due_cursor_ = std::max(due_cursor_, position_);
  while (due_cursor_ < n && start_ns_ + due_[due_cursor_] <= now) ++due_cursor_;
  const size_t due = due_cursor_ - position_;  // at least 1: the record waited for
  stats_.max_backlog = std::max<uint64_t>(stats_.max_backlog, due - 1);
  const size_t count = std::min(max, due);
  stats_.released += count;
  ++stats_.releases;
  stats_.last_release_ns = now;
  return count;
}

ReadResult PacedReader::read(size_t max, Batch& out) {
  assert(max > 0 && "read(max) needs max > 0");
  const auto& records = records_->records;
  if (position_ == records.size()) return {0, true};
  const size_t n = release(max);
  out.insert(out.end(), records.begin() + static_cast<std::ptrdiff_t>(position_),
             records.begin() + static_cast<std::ptrdiff_t>(position_ + n));
  position_ += n;
  return {n, position_ == records.size()};
}

std::optional<ReadView> PacedReader::read_view(size_t max) {
  assert(max > 0 && "read_view(max) needs max > 0");
  const auto& records = records_->records;
  if (position_ == records.size()) return ReadView{{}, true};
  const size_t n = release(max);
  ReadView view{std::span<const RecordPtr>(records).subspan(position_, n), false};
  position_ += n;
  view.end_of_stream = position_ == records.size();
  return view;
}

}  // namespace sg
