// Integer results outside INT64 stop the query (docs/arithmetic.md): the error names the
// expression, its line:column in the query and, once the engine has found it, the input record.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/engine.h"
#include "engine/sql/sql_error.h"

namespace sg {

// Where an expression stands in the query, for run-time errors: its line:column and its text.
struct ExprSite {
  SourcePos pos;
  std::string text;
};

class ArithmeticError : public EngineError {
 public:
  // `row`: null, or the values of the input record being evaluated (Record::holding()).
  ArithmeticError(SourcePos pos, std::string expression, std::string detail, const Value* row);
  const char* what() const noexcept override { return text_.c_str(); }
  SourcePos pos() const { return pos_; }
  const std::string& expression() const { return expression_; }  // as the query wrote it
  const std::string& detail() const { return detail_; }           // "9223372036854775807 + 1"
  // RecordMeta::offset of the input record; none for an expression over a group's results.
  std::optional<int64_t> record_offset() const { return offset_; }

 private:
  SourcePos pos_;
  std::string expression_, detail_, text_;
  std::optional<int64_t> offset_;
};

// The throws, out of line and cold so that checked arithmetic adds one branch to hot paths.
// `op` is '+', '-', '*', '/' for `x op y`, 'n' for -x, 'S' and 'R' for adding y to and removing it
// from a running sum (SUM, AVG), for which x is the wrapped result (the state keeps no copy).
[[noreturn, gnu::cold, gnu::noinline]] void throw_integer_overflow(const ExprSite& site,
                                                                    const Value* row, char op,
                                                                    int64_t x, int64_t y);

}  // namespace sg
