// Text <-> Value conversion shared by the CSV and JSONL readers and writers, so that both formats
// agree on what "42", "1.5", "true" and "2024-01-02T03:04:05Z" mean.
//
// Parsing is strict (the whole text must be the value) but tolerates surrounding ASCII spaces for
// non-string types, since hand-edited CSV files often have "a, b, c".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/value.h"

namespace sg {

bool parse_int64(std::string_view text, int64_t& out);
// Decimal or scientific notation only ("1.5", "-2e3", ".5"): no "nan", "inf" or hex, so that a
// column of names such as "Inf" or "nan" is not taken for numbers.
bool parse_double(std::string_view text, double& out);
// The written forms of non-finite floats (docs/arithmetic.md): CSV's "inf", "-inf", "nan" and
// JSON's strings "Infinity", "-Infinity", "NaN". Exactly these words, nothing else.
bool parse_non_finite(std::string_view text, double& out);
// "true" / "false", any case.
bool parse_bool(std::string_view text, bool& out);
// Integer milliseconds since the epoch, or ISO-8601 UTC "YYYY-MM-DDTHH:MM:SS[.fff][Z|+HH:MM]"
// (a space is accepted for the 'T'; fractions beyond milliseconds are truncated).
bool parse_timestamp(std::string_view text, int64_t& out_ms);

// Parses `text` as a non-NULL value of `type` (String keeps the text as is). Returns false when
// the text is not a valid `type`. Type::Null is not a target type.
bool parse_value(std::string_view text, Type type, Value& out);

// Type inference over a column's values, one observe() per non-empty value. The result is the
// narrowest of INTEGER < FLOAT, BOOLEAN, or STRING that accepts every value observed; a column
// with no values at all is STRING. "inf", "-inf" and "nan" count as FLOAT beside finite numbers. TIMESTAMP is never inferred (integers would be ambiguous): it
// must come from a schema.
class TypeInference {
 public:
  void observe(std::string_view text);
  Type result() const;

 private:
  bool seen_ = false;
  bool seen_number_ = false;  // a finite number: non-finite words alone make no FLOAT column
  bool all_int_ = true;
  bool all_number_ = true;
  bool all_bool_ = true;
};

// Shortest text that parses back to exactly the same double, always with a '.' or an exponent
// so that a reader infers FLOAT again ("3.0", not "3"). NaN and infinities give "nan", "inf",
// "-inf" (the JSONL writer writes JSON strings instead).
std::string format_double(double v);
void append_double(std::string& out, double v);

// A value as CSV/JSON text without quoting: integers, round-trippable floats, true/false,
// timestamps as integer milliseconds, strings as they are. NULL gives "".
void append_value_text(std::string& out, const Value& v);

}  // namespace sg
