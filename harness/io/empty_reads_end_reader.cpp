#include "harness/io/empty_reads_end_reader.h"

#include <cassert>
#include <stdexcept>
#include <thread>
#include <utility>

namespace sg {

EmptyReadsEndReader::EmptyReadsEndReader(std::unique_ptr<DataReader> inner, EmptyReadsEnd rule)
    : inner_(std::move(inner)), rule_(rule) {
  assert(inner_ && "EmptyReadsEndReader needs a reader");
  if (rule_.reads < 1) throw std::invalid_argument("end by empty reads: reads must be at least 1");
  if (rule_.sleep.count() < 0) throw std::invalid_argument("end by empty reads: sleep < 0");
}

bool EmptyReadsEndReader::empty_read() {
  ++empty_reads_;
  if (++consecutive_empty_ >= rule_.reads) return true;
  std::this_thread::sleep_for(rule_.sleep);
  ++sleeps_;
  return false;
}

ReadResult EmptyReadsEndReader::read(size_t max, Batch& out) {
  if (!inner_ended_) {
    const ReadResult r = inner_->read(max, out);
    inner_ended_ = r.end_of_stream;
    if (r.count > 0) {
      consecutive_empty_ = 0;
      return {r.count, false};
    }
  }
  return {0, empty_read()};
}

std::optional<ReadView> EmptyReadsEndReader::read_view(size_t max) {
  if (!inner_ended_) {
    std::optional<ReadView> view = inner_->read_view(max);
    if (!view) return std::nullopt;  // the inner reader cannot lend: read() is used instead
    inner_ended_ = view->end_of_stream;
    if (!view->records.empty()) {
      consecutive_empty_ = 0;
      view->end_of_stream = false;
      return view;
    }
  }
  return ReadView{{}, empty_read()};
}

ReaderFactory end_by_empty_reads(ReaderFactory base, EmptyReadsEnd rule) {
  return [base = std::move(base), rule](int partition, int partitions) {
    return std::make_unique<EmptyReadsEndReader>(base(partition, partitions), rule);
  };
}

}  // namespace sg
