// A flat, open-addressing hash table of groups: the state of GROUP BY, of each tumbling window
// and of ROWS-window partitions.
//
// Groups are numbered in first-seen order and their data lies in flat arrays indexed by that
// number (keys, aggregate states, the last input's metadata), so adding a group allocates
// nothing once the arrays have grown, emitting groups in first-seen order is a plain loop, and
// clear() keeps all memory for the next window. The slot array holds group numbers and a hash
// tag, so most probes that miss never touch the key values.
#pragma once

#include <cassert>
#include <cstdint>
#include <vector>

#include "engine/aggregate_state.h"
#include "engine/key_hash.h"
#include "engine/record.h"
#include "engine/string_interner.h"

namespace sg {

class GroupTable {
 public:
  // `interner` (optional, must outlive the table) supplies the stored copies of string keys;
  // see string_interner.h for why.
  GroupTable(size_t key_width, size_t aggregate_count, StringInterner* interner = nullptr);

  // The group whose keys equal keys[0..key_width), added (keys copied, states fresh) when new.
  // `hash` must be the key_hash_add() chain of those keys from kKeyHashSeed.
  uint32_t find_or_add(const Value* const* keys, uint64_t hash) {
    const uint32_t tag = static_cast<uint32_t>(hash >> 32);
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot s = slots_[i];
      if (s.group_plus_one == 0) return add(keys, hash, i);
      if (s.tag == tag && keys_equal(s.group_plus_one - 1, keys)) return s.group_plus_one - 1;
    }
  }

  size_t size() const { return hashes_.size(); }
  bool empty() const { return hashes_.empty(); }
  size_t key_width() const { return key_width_; }
  const Value* keys(uint32_t group) const { return keys_.data() + group * key_width_; }
  AggState* states(uint32_t group) { return states_.data() + group * aggregate_count_; }
  const AggState* states(uint32_t group) const { return states_.data() + group * aggregate_count_; }
  uint64_t hash(uint32_t group) const { return hashes_[group]; }
  // Metadata of the latest input record that updated the group: output rows carry its offset.
  RecordMeta& last_meta(uint32_t group) { return metas_[group]; }
  const RecordMeta& last_meta(uint32_t group) const { return metas_[group]; }

  // Forgets every group but keeps the memory (a closed window's table is reused).
  void clear();

 private:
  struct Slot {
    uint32_t group_plus_one = 0;  // 0: empty
    uint32_t tag = 0;             // high half of the hash
  };

  bool keys_equal(uint32_t group, const Value* const* keys) const {
    const Value* stored = this->keys(group);
    for (size_t k = 0; k < key_width_; ++k) {
      if (!key_equal(stored[k], *keys[k])) return false;
    }
    return true;
  }
  uint32_t add(const Value* const* keys, uint64_t hash, size_t slot);
  void grow();

  size_t key_width_;
  size_t aggregate_count_;
  StringInterner* interner_;
  // A power of two, at most a quarter full. Fuller, one lookup in three ran past its first slot
  // and the CPU mispredicted where the probe loop ends (docs/design-notes.md#group-table-load).
  std::vector<Slot> slots_;
  size_t mask_;
  std::vector<uint64_t> hashes_;
  std::vector<Value> keys_;
  std::vector<AggState> states_;
  std::vector<RecordMeta> metas_;
};

}  // namespace sg
