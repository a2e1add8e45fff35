// One generated column: a FieldSpec checked once and turned into a function of the record index.
// Internal to the generator (harness/workload/generator.h documents the distributions).
#pragma once

#include <cstdint>
#include <memory>

#include "engine/value.h"
#include "harness/workload/generator.h"

namespace sg {

// splitmix64's output function: a bijective, well-mixed 64-bit hash. Used as a counter-based
// random source, random_at(stream, i), so that every record can be generated on its own.
inline uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
// A random stream key for one purpose of one field under one seed.
inline uint64_t stream_key(uint64_t seed, uint64_t field_index, uint64_t purpose) {
  return splitmix64(splitmix64(seed) ^ splitmix64((field_index << 8) | purpose));
}
inline uint64_t random_at(uint64_t stream, uint64_t index) {
  return splitmix64(stream ^ splitmix64(index));
}
// Uniform in [0, 1) from the top 53 bits.
inline double unit_interval(uint64_t r) {
  return static_cast<double>(r >> 11) * 0x1.0p-53;
}
// Uniform in [0, n) without division (Lemire's multiply-shift; its bias is below 2^-64 * n).
inline uint64_t below(uint64_t r, uint64_t n) {
  return static_cast<uint64_t>((static_cast<unsigned __int128>(r) * n) >> 64);
}

class FieldGenerator {
 public:
  // Checks `spec` and builds its generator; throws std::invalid_argument naming the field.
  static std::unique_ptr<FieldGenerator> make(const FieldSpec& spec, uint64_t seed,
                                              size_t field_index);
  virtual ~FieldGenerator() = default;

  Value at(uint64_t index) const {
    if (null_fraction_ > 0 && unit_interval(random_at(null_stream_, index)) < null_fraction_) {
      return Value::null();
    }
    return value_at(index);
  }
  bool may_be_null() const { return null_fraction_ > 0; }

 protected:
  virtual Value value_at(uint64_t index) const = 0;

 private:
  double null_fraction_ = 0;
  uint64_t null_stream_ = 0;
};

// start_ms + index*spacing_ms - u, u uniform in [0, disorder_ms]: shared by the timestamp
// distribution and TimeSpec's own event-time stream.
int64_t disordered_time(int64_t start_ms, int64_t spacing_ms, int64_t disorder_ms, uint64_t stream,
                        uint64_t index);

}  // namespace sg
