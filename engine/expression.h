// Bound expressions: the planner's output for one SQL expression, with every name already
// resolved to a position and every type already checked. Evaluating one never looks up a name
// and never allocates (the only strings are literals and column values, which are shared).
//
// Evaluation is a switch over a small tree, not virtual calls: the trees are shallow (a column, a
// literal, an operator or two), and the operators pick fast paths for the common shapes
// (column-op-literal) themselves; see physical_filter.h and physical_projection.h.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/expression_ops.h"
#include "engine/value.h"

namespace sg {

// The values an expression may read. A bound expression reads input columns by position, and,
// inside grouping and window operators, the values the operator computed for the current row:
// group key values (GROUP BY expressions) and aggregate or window-function results.
struct EvalRow {
  // Null, or the values of the input record (Record::holding()): run-time errors name it.
  const Value* columns = nullptr;
  const Value* keys = nullptr;
  const Value* aggregates = nullptr;
};

bool is_arithmetic(ExprOp op);
bool is_comparison(ExprOp op);
const char* expr_op_text(ExprOp op);

struct BoundExpr;
struct ExprNames;
using BoundExprPtr = std::unique_ptr<BoundExpr>;

struct BoundExpr {
  ExprOp op = ExprOp::Literal;
  // The static result type. Type::Null only for expressions that can only be NULL (`NULL`,
  // `NULL + NULL`); at run time any expression may also yield NULL.
  Type type = Type::Null;
  uint32_t index = 0;  // Column, Key, Aggregate
  Value literal;       // Literal
  BoundExprPtr left;   // unary operand, or the left one of a binary operator
  BoundExprPtr right;
  ExprSite site;       // arithmetic and unary '-': where run-time errors point

  static BoundExprPtr column(uint32_t index, Type type);
  static BoundExprPtr key(uint32_t index, Type type);
  static BoundExprPtr aggregate(uint32_t index, Type type);
  static BoundExprPtr constant(Value v);
  static BoundExprPtr unary(ExprOp op, Type type, BoundExprPtr operand);
  static BoundExprPtr binary(ExprOp op, Type type, BoundExprPtr l, BoundExprPtr r);

  bool is_ref() const {
    return op == ExprOp::Column || op == ExprOp::Key || op == ExprOp::Aggregate;
  }
  // Readable text for explain(), naming columns, keys and aggregates from `names`.
  std::string to_string(const ExprNames& names) const;
};

// Display names of what refs point at, for BoundExpr::to_string (missing ones print as #i).
struct ExprNames {
  std::vector<std::string> columns, keys, aggregates;
};

// Structural equality (same operators, same positions, equal literals of the same type).
bool same_expr(const BoundExpr& a, const BoundExpr& b);

// The static type rules, shared by the planner (to check and type expressions) and by
// evaluation (to type results from run-time operand types). Return Type::Null with a filled
// `why` when the operand types are not allowed.
//   arithmetic: numbers only; INTEGER op INTEGER -> INTEGER, any FLOAT -> FLOAT;
//     TIMESTAMP +/- INTEGER -> TIMESTAMP, TIMESTAMP - TIMESTAMP -> INTEGER, other TIMESTAMP
//     arithmetic -> INTEGER. A NULL operand takes the other operand's type.
Type arithmetic_result_type(ExprOp op, Type left, Type right, std::string* why);
// Comparable pairs: numbers with numbers, strings with strings, booleans with booleans, NULL
// with anything.
bool comparable(Type left, Type right);

// Evaluates `e` against `row`. NULL propagates through arithmetic and comparisons; AND/OR are
// three-valued; division or modulo by zero gives NULL; integer overflow throws ArithmeticError.
Value eval(const BoundExpr& e, const EvalRow& row);

// The value a leaf expression reads, without copying it (no reference-count traffic for
// strings). Only for Column, Key, Aggregate and Literal.
inline const Value& leaf_value(const BoundExpr& e, const EvalRow& row) {
  switch (e.op) {
    case ExprOp::Column:
      return row.columns[e.index];
    case ExprOp::Key:
      return row.keys[e.index];
    case ExprOp::Aggregate:
      return row.aggregates[e.index];
    default:
      return e.literal;
  }
}

// Evaluates `e` into `scratch` unless it is a leaf, whose value is returned in place.
inline const Value& eval_ref(const BoundExpr& e, const EvalRow& row, Value& scratch) {
  if (e.is_ref() || e.op == ExprOp::Literal) return leaf_value(e, row);
  scratch = eval(e, row);
  return scratch;
}

// The three-valued truth of a condition: only TRUE keeps a row in WHERE and HAVING.
inline bool is_true(const Value& v) {
  return v.type() == Type::Boolean && v.as_bool();
}

}  // namespace sg
