// The value operators of expressions, inline: aggregate and filter fast paths call them per
// row without going through eval().
#pragma once

#include <cmath>
#include <cstdint>

#include "engine/arithmetic_error.h"
#include "engine/value.h"

namespace sg {

enum class ExprOp : uint8_t {
  Column,     // columns[index]
  Key,        // keys[index]: a GROUP BY expression, computed once per group
  Aggregate,  // aggregates[index]: an aggregate or window-function result
  Literal,
  Neg,
  Not,
  IsNull,
  IsNotNull,
  Add,
  Sub,
  Mul,
  Div,
  Mod,
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  And,
  Or,
};

namespace expr_detail {
// The type of integer-like arithmetic (both operands INTEGER or TIMESTAMP).
inline Type integer_result_type(ExprOp op, Type left, Type right) {
  const bool lt = left == Type::Timestamp, rt = right == Type::Timestamp;
  if (op == ExprOp::Add && lt != rt) return Type::Timestamp;   // ts + n, n + ts
  if (op == ExprOp::Sub && lt && !rt) return Type::Timestamp;  // ts - n
  return Type::Integer;                                        // ts - ts, ts * n, ...
}


inline bool holds(ExprOp op, int c) {
  switch (op) {
    case ExprOp::Eq:
      return c == 0;
    case ExprOp::Ne:
      return c != 0;
    case ExprOp::Lt:
      return c < 0;
    case ExprOp::Le:
      return c <= 0;
    case ExprOp::Gt:
      return c > 0;
    case ExprOp::Ge:
      return c >= 0;
    default:
      return false;
  }
}

}  // namespace expr_detail

// Arithmetic (+ - * / %) on two values: NULL propagates, integer division truncates toward zero,
// division or modulo by zero is NULL, an integer result outside INT64 throws ArithmeticError
// naming `site` and `row` (the columns being evaluated). Floats follow IEEE 754.
inline Value arithmetic(ExprOp op, const Value& a, const Value& b, const ExprSite& site,
                        const Value* row) {
  using namespace expr_detail;
  if (a.is_null() || b.is_null()) return Value();
  const Type ta = a.type(), tb = b.type();
  const bool int_a = ta == Type::Integer || ta == Type::Timestamp;
  const bool int_b = tb == Type::Integer || tb == Type::Timestamp;
  if (int_a && int_b) {
    const int64_t x = a.as_int(), y = b.as_int();
    int64_t r = 0;
    switch (op) {
      case ExprOp::Add:
        if (__builtin_add_overflow(x, y, &r)) [[unlikely]] throw_integer_overflow(site, row, '+', x, y);
        break;
      case ExprOp::Sub:
        if (__builtin_sub_overflow(x, y, &r)) [[unlikely]] throw_integer_overflow(site, row, '-', x, y);
        break;
      case ExprOp::Mul:
        if (__builtin_mul_overflow(x, y, &r)) [[unlikely]] throw_integer_overflow(site, row, '*', x, y);
        break;
      case ExprOp::Div:
        if (y == 0) return Value();
        // INT64_MIN / -1 is 2^63 (and a trap on x86).
        if (y == -1 && x == INT64_MIN) [[unlikely]] throw_integer_overflow(site, row, '/', x, y);
        r = x / y;  // C++ truncates toward zero, as SQLite does
        break;
      case ExprOp::Mod:
        if (y == 0) return Value();
        r = y == -1 ? 0 : x % y;  // INT64_MIN % -1 is 0, but a trap on x86
        break;
      default:
        return Value();
    }
    return integer_result_type(op, ta, tb) == Type::Timestamp ? Value::timestamp(r)
                                                              : Value::integer(r);
  }
  if (!a.is_numeric() || !b.is_numeric()) return Value();  // excluded by the planner's checks
  const double x = a.to_double(), y = b.to_double();
  switch (op) {
    case ExprOp::Add:
      return Value::floating(x + y);
    case ExprOp::Sub:
      return Value::floating(x - y);
    case ExprOp::Mul:
      return Value::floating(x * y);
    case ExprOp::Div:
      return y == 0.0 ? Value() : Value::floating(x / y);
    case ExprOp::Mod:
      return y == 0.0 ? Value() : Value::floating(std::fmod(x, y));
    default:
      return Value();
  }
}

// Comparison: NULL when either side is NULL, numbers by value across types.
inline Value comparison(ExprOp op, const Value& a, const Value& b) {
  using namespace expr_detail;
  if (a.is_null() || b.is_null()) return Value();
  const Type ta = a.type(), tb = b.type();
  int c;
  if (ta == Type::Float && tb == Type::Float) {
    c = float_order(a.as_float(), b.as_float());
  } else if (ta == tb || (a.is_numeric() && b.is_numeric())) {
    c = compare(a, b);
  } else {
    return Value();  // a string against a number: excluded by the planner's checks
  }
  return Value::boolean(holds(op, c));
}

}  // namespace sg
