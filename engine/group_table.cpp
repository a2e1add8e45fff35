#include "engine/group_table.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace sg {

static constexpr size_t kInitialSlots = 16;

GroupTable::GroupTable(size_t key_width, size_t aggregate_count, StringInterner* interner)
    : key_width_(key_width),
      aggregate_count_(aggregate_count),
      interner_(interner),
      slots_(kInitialSlots),
      mask_(kInitialSlots - 1) {}

uint32_t GroupTable::add(const Value* const* keys, uint64_t hash, size_t slot) {
  const size_t group = hashes_.size();
  if (group >= std::numeric_limits<uint32_t>::max() - 1) {
    throw std::length_error("more than 4 billion groups in one table");
  }
  slots_[slot] = Slot{static_cast<uint32_t>(group + 1), static_cast<uint32_t>(hash >> 32)};
  hashes_.push_back(hash);
  for (size_t k = 0; k < key_width_; ++k) {
    keys_.push_back(interner_ ? interner_->intern(*keys[k]) : *keys[k]);
  }
  states_.resize(states_.size() + aggregate_count_);
  metas_.emplace_back();
  if ((group + 1) * 4 > slots_.size()) grow();
  return static_cast<uint32_t>(group);
}

void GroupTable::grow() {
  std::vector<Slot> bigger(slots_.size() * 2);
  const size_t mask = bigger.size() - 1;
  for (size_t g = 0; g < hashes_.size(); ++g) {
    size_t i = hashes_[g] & mask;
    while (bigger[i].group_plus_one != 0) i = (i + 1) & mask;
    bigger[i] = Slot{static_cast<uint32_t>(g + 1), static_cast<uint32_t>(hashes_[g] >> 32)};
  }
  slots_.swap(bigger);
  mask_ = mask;
}

void GroupTable::clear() {
  std::fill(slots_.begin(), slots_.end(), Slot{});
  hashes_.clear();
  keys_.clear();
  states_.clear();
  metas_.clear();
}

}  // namespace sg
