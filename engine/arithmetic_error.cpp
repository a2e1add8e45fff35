#include "engine/arithmetic_error.h"

#include <fmt/format.h>

namespace sg {

ArithmeticError::ArithmeticError(SourcePos pos, std::string expression, std::string detail,
                                 const Value* row)
    : EngineError("integer overflow"),
      pos_(pos),
      expression_(std::move(expression)),
      detail_(std::move(detail)) {
  if (row) offset_ = Record::holding(row)->offset();
  text_ = fmt::format("{}:{}: integer overflow in '{}': {} is outside the INTEGER range", pos_.line,
                      pos_.column, expression_, detail_);
  if (offset_) text_ += fmt::format(" (input record at offset {})", *offset_);
}

void throw_integer_overflow(const ExprSite& site, const Value* row, char op, int64_t x, int64_t y) {
  // Running sums pass the wrapped result: undo the wrap, which is exact modulo 2^64.
  if (op == 'S') x = static_cast<int64_t>(static_cast<uint64_t>(x) - static_cast<uint64_t>(y));
  if (op == 'R') x = static_cast<int64_t>(static_cast<uint64_t>(x) + static_cast<uint64_t>(y));
  std::string detail;
  switch (op) {
    case 'n':
      detail = fmt::format("-({})", x);
      break;
    case 'S':
      detail = fmt::format("the running sum {} + {}", x, y);
      break;
    case 'R':
      detail = fmt::format("the running sum {} - {} (a row leaving the frame)", x, y);
      break;
    default:
      detail = fmt::format("{} {} {}", x, op, y);
      break;
  }
  throw ArithmeticError(site.pos, site.text, std::move(detail), row);
}

}  // namespace sg
