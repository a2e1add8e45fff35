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

// Short strings hash as their Value's two words (as Value::hash() does too); long ones 8 bytes at
// a time, where Value::hash() goes byte by byte. Other types use Value::hash(), which already
// hashes equal numbers of different types (3 and 3.0) alike.
inline uint64_t key_value_hash(const Value& v) {
  if (v.type() != Type::String) return v.hash();
  // Short strings: their Value's two words, fully mixed (Value::inline_string_hash()).
  if (v.is_inline_string()) return v.inline_string_hash();
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
  if (n >= 4) {
    // 4 to 7 bytes: two overlapping 4-byte loads, no variable-length copy.
    uint32_t lo, hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + n - 4, 4);
    h = (h ^ (static_cast<uint64_t>(hi) << 32 | lo)) * 0x94d049bb133111ebULL;
  } else if (n > 0) {
    const uint64_t w = static_cast<unsigned char>(p[0]) |
                       static_cast<uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8 |
                       static_cast<uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16;
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
// (up to 16 bytes: two overlapping loads).
inline bool same_bytes(std::string_view x, std::string_view y) {
  const size_t n = x.size();
  if (n != y.size()) return false;
  const char* a = x.data();
  const char* b = y.data();
  if (n >= 8 && n <= 16) {
    uint64_t a0, b0, a1, b1;
    std::memcpy(&a0, a, 8);
    std::memcpy(&b0, b, 8);
    std::memcpy(&a1, a + n - 8, 8);
    std::memcpy(&b1, b + n - 8, 8);
    return a0 == b0 && a1 == b1;
  }
  if (n >= 4 && n < 8) {
    uint32_t a0, b0, a1, b1;
    std::memcpy(&a0, a, 4);
    std::memcpy(&b0, b, 4);
    std::memcpy(&a1, a + n - 4, 4);
    std::memcpy(&b1, b + n - 4, 4);
    return a0 == b0 && a1 == b1;
  }
  if (n < 4) {
    for (size_t i = 0; i < n; ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }
  return std::memcmp(a, b, n) == 0;
}

// GROUP BY equality: NULL equals NULL, numbers equal by value across types, as compare() says;
// the same-type cases are inlined.
inline bool key_equal(const Value& a, const Value& b) {
  if (a.is_inline_string() && b.is_inline_string()) return a.same_inline_string(b);
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
