// The groups of one open tumbling window, indexed by key id: the number of the group's key in
// the window operator's key dictionary (a GroupTable shared by all windows).
//
// Keys recur window after window, so the operator hashes and stores each distinct key once,
// in the dictionary; a window then finds its group through a plain array indexed by key id, and
// opening a group costs no key copy, no reference-count traffic and no hashing. The id array
// grows to the dictionary's size; closing the window resets only the entries it used.
//
// Group slots outlive the window: clear() resets the used states to fresh ones and keeps every
// array at its size, so that in a steady stream opening a group is two stores (no allocation,
// no construction), and a group's states move only when the window holds more groups than any
// window before it. Callers that hold pointers into the states (deferred updates) are told
// before that happens.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "engine/aggregate_state.h"
#include "engine/record.h"

namespace sg {

class WindowGroups {
 public:
  explicit WindowGroups(size_t aggregate_count) : aggregate_count_(aggregate_count) {}

  // The group of `key_id` in this window, added (fresh states) when new. `before_states_move()`
  // runs first when adding it moves the states of every group (their addresses change).
  template <class BeforeStatesMove>
  uint32_t group_of(uint32_t key_id, BeforeStatesMove&& before_states_move) {
    if (key_id >= group_plus_one_.size()) grow_index(key_id);
    if (size_ == key_ids_.size()) [[unlikely]] {  // a new group would have no slot
      before_states_move();
      grow_groups();
    }
    // Without a branch on whether the group is new: about a third of a window's records open
    // a group, in no pattern the CPU could predict. The key id is written to the next free
    // slot either way; only a new group makes it count.
    const uint32_t slot = group_plus_one_[key_id];
    const bool is_new = slot == 0;
    key_ids_[size_] = key_id;
    size_ += is_new;
    const uint32_t group_plus_one = is_new ? size_ : slot;
    group_plus_one_[key_id] = group_plus_one;
    return group_plus_one - 1;
  }

  size_t size() const { return size_; }
  uint32_t key_id(uint32_t group) const { return key_ids_[group]; }
  AggState* states(uint32_t group) { return states_.data() + group * aggregate_count_; }
  const AggState* states(uint32_t group) const { return states_.data() + group * aggregate_count_; }
  // Where the group's latest input record came from: its offset and partition go on the output
  // row unless a record closed the window (the row's event time and key hash are the window's
  // and the key's). Only these two are
  // kept, not the whole RecordMeta: half the bytes written per record. Set by the caller for
  // every record it adds, so a reused slot never shows an earlier window's value.
  struct LastInput {
    int64_t offset = 0;
    int32_t partition = 0;
  };
  void note_input(uint32_t group, const RecordMeta& meta) {
    metas_[group] = LastInput{meta.offset, meta.partition};
  }
  const LastInput& last_input(uint32_t group) const { return metas_[group]; }

  // Forgets every group, keeping the memory (and fresh states) for the next window.
  void clear() {
    for (uint32_t g = 0; g < size_; ++g) group_plus_one_[key_ids_[g]] = 0;
    for (size_t i = 0; i < size_ * aggregate_count_; ++i) states_[i] = AggState{};
    size_ = 0;
  }

  // The dictionary was compacted: key id k is now new_id[k].
  void renumber(const std::vector<uint32_t>& new_id) {
    for (uint32_t g = 0; g < size_; ++g) group_plus_one_[key_ids_[g]] = 0;
    for (uint32_t g = 0; g < size_; ++g) {
      key_ids_[g] = new_id[key_ids_[g]];
      if (key_ids_[g] >= group_plus_one_.size()) group_plus_one_.resize(key_ids_[g] + 1, 0);
      group_plus_one_[key_ids_[g]] = g + 1;
    }
  }

 private:
  [[gnu::noinline]] void grow_index(uint32_t key_id) {
    group_plus_one_.resize(std::max<size_t>(key_id + 1, group_plus_one_.size() * 2), 0);
  }
  [[gnu::noinline]] void grow_groups() {
    const size_t groups = std::max<size_t>(16, key_ids_.size() * 2);
    key_ids_.resize(groups);
    states_.resize(groups * aggregate_count_);
    metas_.resize(groups);
  }

  size_t aggregate_count_;
  uint32_t size_ = 0;                     // groups in this window; slots past it are fresh
  std::vector<uint32_t> group_plus_one_;  // by key id; 0: no group in this window
  std::vector<uint32_t> key_ids_;         // by group, in first-seen order
  std::vector<AggState> states_;
  std::vector<LastInput> metas_;
};

}  // namespace sg
