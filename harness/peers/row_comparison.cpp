#include "harness/peers/row_comparison.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace sg {
namespace {

double round_significant(double x) {
  if (!std::isfinite(x) || x == 0) return x == 0 ? 0.0 : x;  // -0.0 and 0.0 alike
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*e", kPeerSignificantDigits - 1, x);
  return std::strtod(buf, nullptr);
}

// A value as our output column types it: a peer's integer in a FLOAT column (SQLite's AVG of
// whole numbers never is, but SUM over a REAL column of whole numbers can be), a 0/1 in a
// BOOLEAN column, a whole float in an INTEGER column.
Value as_our_type(const Value& v, Type ours) {
  if (v.is_null()) return v;
  switch (ours) {
    case Type::Float:
      return v.is_numeric() ? Value::floating(v.to_double()) : v;
    case Type::Integer:
    case Type::Timestamp:
      if (v.type() == Type::Float && std::trunc(v.as_float()) == v.as_float() &&
          std::fabs(v.as_float()) < 9.2e18) {
        return Value::integer(static_cast<int64_t>(v.as_float()));
      }
      if (v.type() == Type::Timestamp || v.type() == Type::Boolean)
        return Value::integer(v.type() == Type::Boolean ? v.as_bool() : v.as_int());
      return v;
    case Type::Boolean:
      if (v.type() == Type::Integer) return Value::boolean(v.as_int() != 0);
      return v;
    default:
      return v;
  }
}

bool close_enough(const Value& a, const Value& b) {
  if (a.type() == Type::Float && b.type() == Type::Float) {
    const double x = a.as_float(), y = b.as_float();
    if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y);
    return x == y ||
           std::fabs(x - y) <= kPeerRelativeTolerance * std::max({1.0, std::fabs(x), std::fabs(y)});
  }
  return compare(a, b) == 0 && a.type() == b.type();
}

}  // namespace

PeerRow comparable_row(std::span<const Value> values, const Schema& out) {
  PeerRow row;
  row.reserve(values.size());
  for (size_t i = 0; i < values.size(); ++i) row.push_back(as_our_type(values[i], out[i].type));
  return row;
}

uint64_t rounded_hash(std::span<const Value> values, const Schema& out) {
  uint64_t h = 0x243f6a8885a308d3ULL;
  for (size_t i = 0; i < values.size(); ++i) {
    Value v = as_our_type(values[i], out[i].type);
    if (v.type() == Type::Float) v = Value::floating(round_significant(v.as_float()));
    h = hash_combine(h, v.hash());
  }
  return h;
}

bool rows_close(const PeerRow& a, const PeerRow& b) {
  if (a.size() != b.size()) return false;
  for (size_t c = 0; c < a.size(); ++c)
    if (!close_enough(a[c], b[c])) return false;
  return true;
}

std::string describe(const PeerRow& row) {
  std::string out = "[";
  for (size_t i = 0; i < row.size(); ++i) out += (i ? ", " : "") + row[i].to_string();
  return out + "]";
}

bool exact_first_less(const PeerRow& a, const PeerRow& b) {
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t i = 0; i < a.size(); ++i) {
      if ((a[i].type() == Type::Float) != (pass == 1)) continue;
      if (const int c = compare(a[i], b[i]); c != 0) return c < 0;
    }
  }
  return false;
}

}  // namespace sg
