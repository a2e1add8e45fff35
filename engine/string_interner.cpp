#include "engine/string_interner.h"

namespace sg {

StringInterner::StringInterner(size_t max_entries) : max_entries_(max_entries), slots_(64) {}

Value StringInterner::intern(const Value& v) {
  // Inline strings already carry their characters with them: nothing to share.
  if (v.type() != Type::String || v.is_inline_string()) return v;
  const size_t mask = slots_.size() - 1;
  for (size_t i = key_value_hash(v) & mask;; i = (i + 1) & mask) {
    const Value& slot = slots_[i];
    if (slot.is_null()) break;
    if (same_bytes(slot.as_string(), v.as_string())) return slot;
  }
  if (count_ >= max_entries_) return v;
  Value copy = Value::string(v.as_string());  // compact and ours, not the input's memory
  if ((count_ + 1) * 2 > slots_.size()) grow();
  const size_t new_mask = slots_.size() - 1;
  size_t i = key_value_hash(copy) & new_mask;
  while (!slots_[i].is_null()) i = (i + 1) & new_mask;
  slots_[i] = copy;
  ++count_;
  return copy;
}

void StringInterner::grow() {
  std::vector<Value> bigger(slots_.size() * 2);
  const size_t mask = bigger.size() - 1;
  for (Value& v : slots_) {
    if (v.is_null()) continue;
    size_t i = key_value_hash(v) & mask;
    while (!bigger[i].is_null()) i = (i + 1) & mask;
    bigger[i] = std::move(v);
  }
  slots_.swap(bigger);
}

}  // namespace sg
