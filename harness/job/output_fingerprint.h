// A cheap, order-independent fingerprint of a job's output, for the timed passes.
//
// The full Digest (digest.h) hashes every value of every row and keeps per-key order; on a
// GROUP BY it is a large share of the worker's time, and it would be inside every figure. The
// fingerprint reads a row's key hash and its first and last fields (typed: no uninitialised
// bytes) and adds one mixed word to a sum, a small constant per row that the matrix calibrates
// and states. It catches a lost, extra or changed-key row and most changed values; what it
// cannot see (a changed middle field, per-key order) the full digest sees on the checked passes.
#pragma once

#include <cstdint>
#include <string>

#include "engine/record.h"

namespace sg {

struct OutputFingerprint {
  uint64_t count = 0;
  uint64_t sum = 0;  // wrapping sum of the rows' mixed words: any order gives the same

  void add(const Record& row);
  void merge(const OutputFingerprint& o) {
    count += o.count;
    sum += o.sum;
  }
  bool operator==(const OutputFingerprint&) const = default;
  std::string to_string() const;  // "rows=12 fingerprint=0123abcd..."
};

}  // namespace sg
