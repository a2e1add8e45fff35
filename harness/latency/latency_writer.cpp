#include "harness/latency/latency_writer.h"

#include <string>

namespace sg {

LatencyWriter::LatencyWriter(std::shared_ptr<const ReleaseSchedule> schedule,
                             LatencyHistogram& histogram, LatencyClock* clock)
    : schedule_(std::move(schedule)), histogram_(histogram), clock_(clock) {}

void LatencyWriter::write(std::span<const RecordPtr> rows) {
  if (rows.empty()) return;
  const int64_t now = latency_now_ns(clock_);
  const int64_t start = schedule_->start_ns();
  const size_t scheduled = schedule_->size();
  for (const RecordPtr& row : rows) {
    const auto offset = static_cast<uint64_t>(row->offset());
    if (offset >= scheduled)
      throw SinkError("latency sink: output row names input offset " +
                      std::to_string(row->offset()) + ", outside the " + std::to_string(scheduled) +
                      " records released");
    histogram_.record_signed(now - (start + schedule_->offset_ns(offset)));
  }
  digest_.write(rows);
}

}  // namespace sg
