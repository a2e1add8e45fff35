// The groups of one open tumbling window, indexed by key id: the number of the group's key in
// the window operator's key dictionary (a GroupTable shared by all windows).
//
// Keys recur window after window, so the operator hashes and stores each distinct key once,
// in the dictionary; a window then finds its group through a plain array indexed by key id, and
// opening a group costs no key copy, no reference-count traffic and no hashing. The id array
// grows to the dictionary's size; closing the window resets only the entries it used.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/aggregate_state.h"
#include "engine/record.h"

namespace sg {

class WindowGroups {
 public:
  explicit WindowGroups(size_t aggregate_count) : aggregate_count_(aggregate_count) {}

  // The group of `key_id` in this window, added (fresh states) when new.
  uint32_t group_of(uint32_t key_id) {
    if (key_id >= group_plus_one_.size()) {
      group_plus_one_.resize(std::max<size_t>(key_id + 1, group_plus_one_.size() * 2), 0);
    }
    uint32_t& slot = group_plus_one_[key_id];
    if (slot == 0) {
      key_ids_.push_back(key_id);
      states_.resize(states_.size() + aggregate_count_);
      metas_.emplace_back();
      slot = static_cast<uint32_t>(key_ids_.size());
    }
    return slot - 1;
  }

  size_t size() const { return key_ids_.size(); }
  uint32_t key_id(uint32_t group) const { return key_ids_[group]; }
  AggState* states(uint32_t group) { return states_.data() + group * aggregate_count_; }
  const AggState* states(uint32_t group) const { return states_.data() + group * aggregate_count_; }
  // The latest input record of the group (its offset goes on the output row).
  RecordMeta& last_meta(uint32_t group) { return metas_[group]; }

  // Forgets every group, keeping the memory for the next window.
  void clear() {
    for (uint32_t id : key_ids_) group_plus_one_[id] = 0;
    key_ids_.clear();
    states_.clear();
    metas_.clear();
  }

  // The dictionary was compacted: key id k is now new_id[k].
  void renumber(const std::vector<uint32_t>& new_id) {
    for (uint32_t id : key_ids_) group_plus_one_[id] = 0;
    for (uint32_t g = 0; g < key_ids_.size(); ++g) {
      key_ids_[g] = new_id[key_ids_[g]];
      if (key_ids_[g] >= group_plus_one_.size()) group_plus_one_.resize(key_ids_[g] + 1, 0);
      group_plus_one_[key_ids_[g]] = g + 1;
    }
  }

 private:
  size_t aggregate_count_;
  std::vector<uint32_t> group_plus_one_;  // by key id; 0: no group in this window
  std::vector<uint32_t> key_ids_;         // by group, in first-seen order
  std::vector<AggState> states_;
  std::vector<RecordMeta> metas_;
};

}  // namespace sg
