// Hashing and equality of key values: GROUP BY keys, PARTITION BY keys, partition routing.
//
// One function serves the group tables, partition_hash() and the key_hash of output rows, so a
// row's key_hash is the same number a strategy used to route its input records.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

#include "engine/value.h"

namespace sg {

// Strings hash 8 bytes at a time (keys here are short symbols and categories: one or two
// multiplications instead of Value::hash()'s byte loop). Other types use Value::hash(), which
// already hashes equal numbers of different types (3 and 3.0) alike.
inline uint64_t key_value_hash(const Value& v) {
  if (v.type() != Type::String) return v.hash();
  const std::string_view s = v.as_string();
  const char* p = s.data();
  size_t n = s.size();
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ (n * 0xff51afd7ed558ccdULL);
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 31;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = (h ^ w) * 0x94d049bb133111ebULL;
  }
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9ULL;
  return h ^ (h >> 32);
}

inline constexpr uint64_t kKeyHashSeed = 0x6b65795f68617368ULL;  // "key_hash"

inline uint64_t key_hash_add(uint64_t running, const Value& v) {
  return hash_combine(running, key_value_hash(v));
}

// Byte equality of two strings, without a memcmp call for the short keys GROUP BY sees most
// (8 to 16 bytes: two overlapping 8-byte loads).
inline bool same_bytes(std::string_view x, std::string_view y) {
  const size_t n = x.size();
  if (n != y.size()) return false;
  if (n >= 8 && n <= 16) {
    uint64_t a0, b0, a1, b1;
    std::memcpy(&a0, x.data(), 8);
    std::memcpy(&b0, y.data(), 8);
    std::memcpy(&a1, x.data() + n - 8, 8);
    std::memcpy(&b1, y.data() + n - 8, 8);
    return a0 == b0 && a1 == b1;
  }
  return n == 0 || std::memcmp(x.data(), y.data(), n) == 0;
}

// GROUP BY equality: NULL equals NULL, numbers equal by value across types, as compare() says;
// the same-type cases are inlined.
inline bool key_equal(const Value& a, const Value& b) {
  if (a.type() == b.type()) {
    switch (a.type()) {
      case Type::String:
        return same_bytes(a.as_string(), b.as_string());
      case Type::Integer:
      case Type::Timestamp:
        return a.as_int() == b.as_int();
      case Type::Null:
        return true;
      default:
        break;
    }
  }
  return compare(a, b) == 0;
}

}  // namespace sg
