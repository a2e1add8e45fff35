#include "harness/job/digest.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace sg {
namespace {

// splitmix64's finaliser: sums of raw row hashes could cancel out for structured data; sums of
// well-mixed hashes behave like sums of random numbers.
uint64_t mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

constexpr uint64_t kFoldPrime = 0x100000001b3ULL;  // odd, so powers never collapse to 0
constexpr uint64_t kStatelessSalt = 0x5ca1ab1eULL;

}  // namespace

void Digest::add(const Record& row) {
  const uint64_t h = mix(row.row_hash());
  ++count_;
  unordered_ += h;
  if (row.key_hash() == 0) {
    stateless_ += mix(h ^ kStatelessSalt);
    return;
  }
  KeyFold& fold = keys_[row.key_hash()];
  fold.state = fold.state * kFoldPrime + h;
  fold.power *= kFoldPrime;
}

void Digest::merge(const Digest& other) {
  count_ += other.count_;
  unordered_ += other.unordered_;
  stateless_ += other.stateless_;
  for (const auto& [key, theirs] : other.keys_) {
    KeyFold& mine = keys_[key];
    mine.state = mine.state * theirs.power + theirs.state;
    mine.power *= theirs.power;
  }
}

uint64_t Digest::keyed_checksum() const {
  uint64_t sum = stateless_;
  for (const auto& [key, fold] : keys_) sum += mix(mix(key) ^ fold.state ^ (fold.power << 1));
  return sum;
}

std::string Digest::to_string() const {
  return fmt::format("count={} unordered={:016x} keyed={:016x} keys={}", count_, unordered_,
                     keyed_checksum(), keys_.size());
}

nlohmann::json Digest::to_json() const {
  return {{"count", count_},
          {"unordered", fmt::format("{:016x}", unordered_)},
          {"keyed", fmt::format("{:016x}", keyed_checksum())},
          {"keys", keys_.size()}};
}

}  // namespace sg
