#include "harness/job/output_fingerprint.h"

#include <bit>
#include <cstring>

#include <fmt/format.h>

namespace sg {
namespace {

uint64_t field_bits(const Value& v) {
  switch (v.type()) {
    case Type::Null:
      return 0x6e756c6cULL;
    case Type::Integer:
    case Type::Timestamp:
      return static_cast<uint64_t>(v.as_int());
    case Type::Float:
      return std::bit_cast<uint64_t>(v.as_float());
    case Type::Boolean:
      return v.as_bool() ? 0x74ULL : 0x66ULL;
    case Type::String: {
      if (!v.is_inline_string()) return v.as_string().size();
      uint64_t w[2];  // an inline string's two words: tag, length, characters, zero padding
      std::memcpy(w, &v, sizeof w);
      return w[0] ^ (w[1] * 0x9e3779b97f4a7c15ULL);
    }
  }
  return 0;
}

}  // namespace

void OutputFingerprint::add(const Record& row) {
  const size_t n = row.size();
  uint64_t x = row.key_hash() ^ (n * 0x2545f4914f6cdd1dULL);
  if (n)
    x ^=
        field_bits(row[0]) * 0xbf58476d1ce4e5b9ULL ^ field_bits(row[n - 1]) * 0x94d049bb133111ebULL;
  x ^= x >> 31;
  x *= 0xd6e8feb86659fd93ULL;
  x ^= x >> 32;
  ++count;
  sum += x;
}

std::string OutputFingerprint::to_string() const {
  return fmt::format("rows={} fingerprint={:016x}", count, sum);
}

}  // namespace sg
