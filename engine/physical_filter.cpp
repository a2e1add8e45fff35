#include "engine/physical_filter.h"

namespace sg {

// `5 < x` is `x > 5`.
static ExprOp mirrored(ExprOp op) {
  switch (op) {
    case ExprOp::Lt:
      return ExprOp::Gt;
    case ExprOp::Le:
      return ExprOp::Ge;
    case ExprOp::Gt:
      return ExprOp::Lt;
    case ExprOp::Ge:
      return ExprOp::Le;
    default:
      return op;  // = and <> are symmetric
  }
}

static bool is_number_type(Type t) {
  return t == Type::Integer || t == Type::Float || t == Type::Timestamp;
}

PhysicalFilter::PhysicalFilter(const BoundExpr* condition) : condition_(condition) {
  if (!condition) return;
  shape_ = Shape::General;
  if (!is_comparison(condition->op)) return;
  const BoundExpr* column = condition->left.get();
  const BoundExpr* literal = condition->right.get();
  op_ = condition->op;
  if (column->op == ExprOp::Literal) {
    std::swap(column, literal);
    op_ = mirrored(op_);
  }
  if (column->op != ExprOp::Column || literal->op != ExprOp::Literal) return;
  if (!is_number_type(column->type) || !is_number_type(literal->literal.type())) return;
  shape_ = Shape::ColumnVsNumber;
  column_ = column->index;
  number_is_integer_ = literal->literal.type() != Type::Float;
  integer_ = number_is_integer_ ? literal->literal.as_int() : 0;
  number_ = literal->literal.to_double();
}

const char* PhysicalFilter::shape_name() const {
  switch (shape_) {
    case Shape::All:
      return "none";
    case Shape::ColumnVsNumber:
      return "column vs number";
    case Shape::General:
      return "general";
  }
  return "?";
}

}  // namespace sg
