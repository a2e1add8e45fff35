// How a peer's row is compared with ours (peer.cpp): values as our output schema types them
// (SQLite has no booleans, DuckDB returns SUM of integers as HUGEINT), floats to 9 significant
// digits in the fast path (a batch engine sums in another order), and the rare float that rounds
// differently on the two sides (a sum on a rounding boundary) matched within a relative 1e-9, so
// that the check never fails on summation order and still catches any real difference.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/schema.h"
#include "engine/value.h"

namespace sg {

constexpr int kPeerSignificantDigits = 9;
constexpr double kPeerRelativeTolerance = 1e-9;

using PeerRow = std::vector<Value>;

// The row's values as our output columns type them.
PeerRow comparable_row(std::span<const Value> values, const Schema& out);

// Hash of a row as our output schema types it, floats rounded: equal for rows that the check
// calls equal (bar the rare rounding-boundary case that rows_close() settles).
uint64_t rounded_hash(std::span<const Value> values, const Schema& out);

// Two comparable rows equal, floats within the relative tolerance.
bool rows_close(const PeerRow& a, const PeerRow& b);

// "[K1, 3, 0.25]" for messages.
std::string describe(const PeerRow& row);

// Exact columns first, floats last: rows that differ only by float noise sort side by side.
bool exact_first_less(const PeerRow& a, const PeerRow& b);

}  // namespace sg
