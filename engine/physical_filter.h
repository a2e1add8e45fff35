// WHERE and HAVING: keeps a row when its condition is TRUE (not FALSE, not NULL).
//
// The common shape `column <op> number` (`total_amount > 100`) is recognised when the filter is
// built and tested inline on the value, without evaluating an expression tree.
#pragma once

#include <cstdint>

#include "engine/expression.h"

namespace sg {

class PhysicalFilter {
 public:
  // `condition` may be null (keeps every row); it must outlive the filter.
  explicit PhysicalFilter(const BoundExpr* condition);

  bool keeps(const EvalRow& row) const {
    switch (shape_) {
      case Shape::All:
        return true;
      case Shape::ColumnVsNumber:
        return column_vs_number(row.columns[column_]);
      case Shape::General:
        break;
    }
    return is_true(eval(*condition_, row));
  }

  // "column > number", "general" or "none": for explain() and tests.
  const char* shape_name() const;

 private:
  enum class Shape : uint8_t { All, ColumnVsNumber, General };

  template <class T>
  bool holds(T a, T b) const {
    switch (op_) {
      case ExprOp::Eq:
        return a == b;
      case ExprOp::Ne:
        return a != b;
      case ExprOp::Lt:
        return a < b;
      case ExprOp::Le:
        return a <= b;
      case ExprOp::Gt:
        return a > b;
      case ExprOp::Ge:
        return a >= b;
      default:
        return false;
    }
  }
  bool column_vs_number(const Value& v) const {
    switch (v.type()) {
      case Type::Float:
        // NaN is above every number (float_order()); the literal is never NaN.
        if (std::isnan(v.as_float())) [[unlikely]] return expr_detail::holds(op_, 1);
        return holds(v.as_float(), number_);
      case Type::Integer:
      case Type::Timestamp:
        return number_is_integer_ ? holds(v.as_int(), integer_)
                                  : holds(static_cast<double>(v.as_int()), number_);
      default:
        return false;  // NULL: unknown, which WHERE does not keep
    }
  }

  Shape shape_ = Shape::All;
  const BoundExpr* condition_ = nullptr;
  ExprOp op_ = ExprOp::Eq;  // with the column on the left
  uint32_t column_ = 0;
  bool number_is_integer_ = false;
  int64_t integer_ = 0;
  double number_ = 0;
};

}  // namespace sg
