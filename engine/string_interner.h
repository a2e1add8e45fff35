// One shared copy of each distinct string key an engine stores.
//
// Group tables keep their key values for the life of the group, and every emitted row copies
// them. Sharing the input record's string would tie each group to memory scattered over the
// whole input (every key comparison, emission and release then misses the cache); a copy per
// group would cost an allocation per group. Interning gives each distinct key one compact copy
// that stays in cache, so comparing, copying and releasing keys touches hot memory only.
// Strings short enough to live inside a Value (value.h) need none of this and pass through.
//
// The pool is bounded: past max_entries distinct strings (a key of unique IDs, say) values are
// passed through unchanged rather than growing the pool without end.
#pragma once

#include <cstddef>
#include <vector>

#include "engine/key_hash.h"
#include "engine/value.h"

namespace sg {

class StringInterner {
 public:
  explicit StringInterner(size_t max_entries = 1 << 16);

  // A value equal to `v`: for a string too long to be held inline, the pool's copy (made on
  // first sight); anything else, or any string once the pool is full, is `v` itself.
  Value intern(const Value& v);
  size_t size() const { return count_; }

 private:
  void grow();

  size_t max_entries_;
  std::vector<Value> slots_;  // NULL: empty; a power of two, at most half full
  size_t count_ = 0;
};

}  // namespace sg
