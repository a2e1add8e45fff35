#include "engine/expression.h"

#include <cmath>

#include <fmt/format.h>

namespace sg {

using expr_detail::holds;
using expr_detail::integer_result_type;

bool is_arithmetic(ExprOp op) {
  return op >= ExprOp::Add && op <= ExprOp::Mod;
}
bool is_comparison(ExprOp op) {
  return op >= ExprOp::Eq && op <= ExprOp::Ge;
}

const char* expr_op_text(ExprOp op) {
  switch (op) {
    case ExprOp::Neg:
      return "-";
    case ExprOp::Not:
      return "NOT";
    case ExprOp::IsNull:
      return "IS NULL";
    case ExprOp::IsNotNull:
      return "IS NOT NULL";
    case ExprOp::Add:
      return "+";
    case ExprOp::Sub:
      return "-";
    case ExprOp::Mul:
      return "*";
    case ExprOp::Div:
      return "/";
    case ExprOp::Mod:
      return "%";
    case ExprOp::Eq:
      return "=";
    case ExprOp::Ne:
      return "<>";
    case ExprOp::Lt:
      return "<";
    case ExprOp::Le:
      return "<=";
    case ExprOp::Gt:
      return ">";
    case ExprOp::Ge:
      return ">=";
    case ExprOp::And:
      return "AND";
    case ExprOp::Or:
      return "OR";
    default:
      return "?";
  }
}

BoundExprPtr BoundExpr::column(uint32_t index, Type type) {
  auto e = std::make_unique<BoundExpr>();
  e->op = ExprOp::Column;
  e->index = index;
  e->type = type;
  return e;
}

BoundExprPtr BoundExpr::key(uint32_t index, Type type) {
  auto e = column(index, type);
  e->op = ExprOp::Key;
  return e;
}

BoundExprPtr BoundExpr::aggregate(uint32_t index, Type type) {
  auto e = column(index, type);
  e->op = ExprOp::Aggregate;
  return e;
}

BoundExprPtr BoundExpr::constant(Value v) {
  auto e = std::make_unique<BoundExpr>();
  e->op = ExprOp::Literal;
  e->type = v.type();
  e->literal = std::move(v);
  return e;
}

BoundExprPtr BoundExpr::unary(ExprOp op, Type type, BoundExprPtr operand) {
  auto e = std::make_unique<BoundExpr>();
  e->op = op;
  e->type = type;
  e->left = std::move(operand);
  return e;
}

BoundExprPtr BoundExpr::binary(ExprOp op, Type type, BoundExprPtr l, BoundExprPtr r) {
  auto e = unary(op, type, std::move(l));
  e->right = std::move(r);
  return e;
}

static std::string name_or_index(const std::vector<std::string>& names, uint32_t index,
                                 const char* kind) {
  return index < names.size() ? names[index] : fmt::format("{}#{}", kind, index);
}

std::string BoundExpr::to_string(const ExprNames& names) const {
  switch (op) {
    case ExprOp::Column:
      return name_or_index(names.columns, index, "column");
    case ExprOp::Key:
      return name_or_index(names.keys, index, "key");
    case ExprOp::Aggregate:
      return name_or_index(names.aggregates, index, "aggregate");
    case ExprOp::Literal:
      return literal.type() == Type::String ? fmt::format("'{}'", literal.as_string())
                                            : literal.to_string();
    case ExprOp::Neg:
      return "-" + left->to_string(names);
    case ExprOp::Not:
      return "NOT " + left->to_string(names);
    case ExprOp::IsNull:
    case ExprOp::IsNotNull:
      return fmt::format("{} {}", left->to_string(names), expr_op_text(op));
    default:
      return fmt::format("({} {} {})", left->to_string(names), expr_op_text(op),
                         right->to_string(names));
  }
}

bool same_expr(const BoundExpr& a, const BoundExpr& b) {
  if (a.op != b.op || a.index != b.index) return false;
  if (a.op == ExprOp::Literal) {
    return a.literal.type() == b.literal.type() && compare(a.literal, b.literal) == 0;
  }
  if ((a.left == nullptr) != (b.left == nullptr)) return false;
  if ((a.right == nullptr) != (b.right == nullptr)) return false;
  if (a.left && !same_expr(*a.left, *b.left)) return false;
  if (a.right && !same_expr(*a.right, *b.right)) return false;
  return true;
}

static bool is_number_type(Type t) {
  return t == Type::Integer || t == Type::Float || t == Type::Timestamp;
}

Type arithmetic_result_type(ExprOp op, Type left, Type right, std::string* why) {
  if (left == Type::Null && right == Type::Null) return Type::Null;
  if ((left != Type::Null && !is_number_type(left)) ||
      (right != Type::Null && !is_number_type(right))) {
    if (why) {
      *why = fmt::format("operator '{}' needs numbers, got {} and {}", expr_op_text(op),
                         type_name(left), type_name(right));
    }
    return Type::Null;
  }
  if (left == Type::Null) left = right;
  if (right == Type::Null) right = left;
  if (left == Type::Float || right == Type::Float) return Type::Float;
  return integer_result_type(op, left, right);
}

bool comparable(Type left, Type right) {
  if (left == Type::Null || right == Type::Null) return true;
  if (is_number_type(left) && is_number_type(right)) return true;
  return left == right;
}

static Value negate(const Value& v, const BoundExpr& e, const EvalRow& row) {
  switch (v.type()) {
    case Type::Integer:
    case Type::Timestamp: {
      int64_t r;
      if (__builtin_sub_overflow(int64_t{0}, v.as_int(), &r)) [[unlikely]] {
        throw_integer_overflow(e.site, row.columns, 'n', v.as_int(), 0);
      }
      return Value::integer(r);
    }
    case Type::Float:
      return Value::floating(-v.as_float());
    default:
      return Value();
  }
}

// The truth of a condition operand: 1 true, 0 false, -1 unknown (NULL).
static int truth(const Value& v) {
  if (v.type() != Type::Boolean) return -1;
  return v.as_bool() ? 1 : 0;
}

Value eval(const BoundExpr& e, const EvalRow& row) {
  switch (e.op) {
    case ExprOp::Column:
    case ExprOp::Key:
    case ExprOp::Aggregate:
    case ExprOp::Literal:
      return leaf_value(e, row);
    case ExprOp::Neg: {
      Value scratch;
      return negate(eval_ref(*e.left, row, scratch), e, row);
    }
    case ExprOp::Not: {
      Value scratch;
      const int t = truth(eval_ref(*e.left, row, scratch));
      return t < 0 ? Value() : Value::boolean(t == 0);
    }
    case ExprOp::IsNull:
    case ExprOp::IsNotNull: {
      Value scratch;
      const bool null = eval_ref(*e.left, row, scratch).is_null();
      return Value::boolean(e.op == ExprOp::IsNull ? null : !null);
    }
    case ExprOp::And:
    case ExprOp::Or: {
      // Three-valued: FALSE AND x is FALSE, TRUE OR x is TRUE, whatever x is (even NULL).
      Value scratch;
      const int l = truth(eval_ref(*e.left, row, scratch));
      const int decisive = e.op == ExprOp::And ? 0 : 1;
      if (l == decisive) return Value::boolean(decisive == 1);
      const int r = truth(eval_ref(*e.right, row, scratch));
      if (r == decisive) return Value::boolean(decisive == 1);
      if (l < 0 || r < 0) return Value();
      return Value::boolean(decisive == 0);
    }
    default:
      break;
  }
  Value left_scratch, right_scratch;
  const Value& l = eval_ref(*e.left, row, left_scratch);
  const Value& r = eval_ref(*e.right, row, right_scratch);
  if (is_arithmetic(e.op)) return arithmetic(e.op, l, r, e.site, row.columns);
  return comparison(e.op, l, r);
}

}  // namespace sg
