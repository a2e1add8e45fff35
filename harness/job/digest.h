// A fingerprint of a job's output that two strategies can compare without keeping the rows.
//
// Two digests are equal when the outputs hold the same multiset of rows AND, for every key, the
// same rows in the same order. The key of a row is RecordMeta::key_hash (the group key or window
// partition key the engine stamped on it); rows of stateless queries (key_hash 0) are each their
// own key, so their order never matters. That is exactly what a correct partitioned strategy
// guarantees: order within a key, any interleaving between keys.
//
// Digests merge, so writers of different partitions each keep one and the job adds them up.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include <nlohmann/json_fwd.hpp>

#include "engine/record.h"

namespace sg {

class Digest {
 public:
  void add(const Record& row);
  // Adds the rows of `other` as if they had been written after this digest's rows. For keys that
  // only one side holds (the case for every correctly partitioned job) the order is irrelevant.
  void merge(const Digest& other);

  uint64_t count() const { return count_; }
  // Sum of the mixed row hashes: equal for equal multisets, whatever the order.
  uint64_t unordered_checksum() const { return unordered_; }
  // Per-key ordered checksums combined order-independently (keys in any order).
  uint64_t keyed_checksum() const;
  size_t key_count() const { return keys_.size(); }

  bool operator==(const Digest& o) const {
    return count_ == o.count_ && unordered_ == o.unordered_ &&
           keyed_checksum() == o.keyed_checksum();
  }
  // "count=12 unordered=0123abcd... keyed=..." for messages and test failures.
  std::string to_string() const;
  nlohmann::json to_json() const;

 private:
  // A polynomial rolling hash per key: state = state * P + mix(row). Unlike hash_combine it can
  // be concatenated (A then B = A.state * P^len(B) + B.state), which is what merge() needs.
  struct KeyFold {
    uint64_t state = 0;
    uint64_t power = 1;  // P^(rows folded)
  };

  uint64_t count_ = 0;
  uint64_t unordered_ = 0;
  uint64_t stateless_ = 0;  // rows with key_hash 0: order-independent, like unordered_
  std::unordered_map<uint64_t, KeyFold> keys_;
};

}  // namespace sg
