// The fuzzer's oracle for integer arithmetic (docs/arithmetic.md): the exact value of an integer
// expression in 128 bits, against which the engine's result, or its overflow error, is checked.
#pragma once

#include <cstdint>
#include <optional>

#include "engine/record.h"
#include "engine/schema.h"
#include "engine/sql/ast.h"

namespace sg::fuzz {

struct Exact {
  bool is_null = false;
  bool out_of_range = false;  // some operation's result does not fit in INT64
  __int128 value = 0;
};

inline bool fits(__int128 v) {
  return v >= INT64_MIN && v <= INT64_MAX;
}

// Literals, INTEGER columns of `row`, unary '-' and + - * / %; nullopt for anything else. The
// engine evaluates every operand, so one operation out of range anywhere makes the whole
// expression an error; / and % by zero are NULL, / truncates, % takes the dividend's sign.
inline std::optional<Exact> exact(const ast::Expr& e, const Schema& schema, const Record& row) {
  switch (e.kind) {
    case ast::ExprKind::Literal:
      if (e.literal.type() == Type::Null) return Exact{true};
      if (e.literal.type() != Type::Integer) return std::nullopt;
      return Exact{false, false, e.literal.as_int()};
    case ast::ExprKind::Column: {
      const std::optional<size_t> i = schema.index_of(e.name);
      if (!i || schema[*i].type != Type::Integer) return std::nullopt;
      const Value& v = row[*i];
      return v.is_null() ? Exact{true} : Exact{false, false, v.as_int()};
    }
    case ast::ExprKind::Unary: {
      if (e.unary_op != ast::UnaryOp::Neg) return std::nullopt;
      std::optional<Exact> x = exact(*e.args[0], schema, row);
      if (!x || x->out_of_range || x->is_null) return x;
      x->value = -x->value;
      x->out_of_range = !fits(x->value);
      return x;
    }
    case ast::ExprKind::Binary: {
      const std::optional<Exact> l = exact(*e.args[0], schema, row);
      const std::optional<Exact> r = exact(*e.args[1], schema, row);
      if (!l || !r) return std::nullopt;
      if (l->out_of_range || r->out_of_range) return Exact{false, true};
      if (l->is_null || r->is_null) return Exact{true};
      const __int128 x = l->value, y = r->value;
      Exact out;
      switch (e.binary_op) {
        case ast::BinaryOp::Add: out.value = x + y; break;
        case ast::BinaryOp::Sub: out.value = x - y; break;
        case ast::BinaryOp::Mul: out.value = x * y; break;
        case ast::BinaryOp::Div:
        case ast::BinaryOp::Mod:
          if (y == 0) return Exact{true};
          out.value = e.binary_op == ast::BinaryOp::Div ? x / y : x % y;
          break;
        default:
          return std::nullopt;
      }
      out.out_of_range = !fits(out.value);
      return out;
    }
    default:
      return std::nullopt;
  }
}

}  // namespace sg::fuzz
