#include "harness/io/memory_reader.h"

#include <algorithm>
#include <cassert>

namespace sg {

MemoryReader::MemoryReader(SharedDataset dataset, Lending lending)
    : dataset_(std::move(dataset)), lending_(lending) {
  assert(dataset_ && "MemoryReader needs a dataset");
}

ReadResult MemoryReader::read(size_t max, Batch& out) {
  assert(max > 0 && "read(max) needs max > 0");
  const auto& records = dataset_->records;
  const size_t n = std::min(max, records.size() - position_);
  out.insert(out.end(), records.begin() + static_cast<std::ptrdiff_t>(position_),
             records.begin() + static_cast<std::ptrdiff_t>(position_ + n));
  position_ += n;
  // The end is announced together with the last records, never by a later empty read.
  return {n, position_ == records.size()};
}

std::optional<ReadView> MemoryReader::read_view(size_t max) {
  assert(max > 0 && "read_view(max) needs max > 0");
  if (lending_ == Lending::Off) return std::nullopt;
  const auto& records = dataset_->records;
  const size_t n = std::min(max, records.size() - position_);
  ReadView view{std::span<const RecordPtr>(records).subspan(position_, n), false};
  position_ += n;
  view.end_of_stream = position_ == records.size();
  return view;
}

}  // namespace sg
