// Aggregate functions (COUNT, SUM, AVG, MIN, MAX): how the planner types them, and the running
// state each one keeps per group or per window partition.
//
// The kind is fixed at plan time from the function and its argument's type (SUM of an INTEGER
// keeps an integer sum, SUM of a FLOAT a double), so updating a state is one switch, with no
// per-value type dispatch beyond what NULLs need.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/expression.h"

namespace sg {

enum class AggFunc : uint8_t { Count, Sum, Avg, Min, Max };

// Parses an upper-case function name; false for anything else.
bool parse_agg_func(std::string_view upper_name, AggFunc& out);
const char* agg_func_name(AggFunc f);

enum class AggKind : uint8_t { CountStar, Count, SumInt, SumFloat, AvgInt, AvgFloat, Min, Max };

// The result type of `f` over an argument of type `arg` (COUNT -> INTEGER; SUM(INTEGER) ->
// INTEGER, SUM(FLOAT) -> FLOAT; AVG -> FLOAT; MIN/MAX -> the argument's type). Returns false with
// `why` filled when the argument type is not allowed (SUM of a STRING).
bool aggregate_result_type(AggFunc f, Type arg, Type& out, std::string& why);
AggKind aggregate_kind(AggFunc f, bool star, Type arg);

// One aggregate call as planned: what to compute, over which argument.
struct AggregateSpec {
  AggFunc func = AggFunc::Count;
  AggKind kind = AggKind::CountStar;
  Type result_type = Type::Integer;
  BoundExprPtr arg;  // null for COUNT(*)
  std::string text;  // "SUM(price * quantity)", for explain()
};

// The running state of one aggregate. 32 bytes; states of a group lie next to each other.
struct AggState {
  int64_t count = 0;  // non-NULL inputs (all rows for COUNT(*))
  union {
    int64_t i;
    double f;
  } sum{0};
  Value extreme;  // MIN / MAX so far; NULL before the first non-NULL input
};

// MIN/MAX ordering, with the common same-type cases inlined before the general compare().
inline bool value_less(const Value& a, const Value& b) {
  if (a.type() == Type::Float && b.type() == Type::Float) return a.as_float() < b.as_float();
  if (a.type() == b.type() && (a.type() == Type::Integer || a.type() == Type::Timestamp)) {
    return a.as_int() < b.as_int();
  }
  return compare(a, b) < 0;
}

// The state functions are forced inline: they are a switch the caller's loop resolves, and an
// out-of-line call per value per aggregate cost more than the work itself.

// Adds one input value (already evaluated; NULLs are ignored except by COUNT(*)).
[[gnu::always_inline]] inline void agg_add(AggKind kind, AggState& s, const Value& v) {
  if (kind == AggKind::CountStar) {
    ++s.count;
    return;
  }
  if (v.is_null()) return;
  ++s.count;
  switch (kind) {
    case AggKind::SumInt:
    case AggKind::AvgInt:
      // Wraps on overflow rather than invoking undefined behaviour.
      s.sum.i =
          static_cast<int64_t>(static_cast<uint64_t>(s.sum.i) + static_cast<uint64_t>(v.as_int()));
      break;
    case AggKind::SumFloat:
    case AggKind::AvgFloat:
      s.sum.f += v.to_double();
      break;
    case AggKind::Min:
      if (s.count == 1 || value_less(v, s.extreme)) s.extreme = v;
      break;
    case AggKind::Max:
      if (s.count == 1 || value_less(s.extreme, v)) s.extreme = v;
      break;
    default:
      break;
  }
}

// Takes one input value back out of a COUNT/SUM/AVG state (ROWS windows evicting their oldest
// row). MIN/MAX cannot be undone this way; windows keep a monotonic deque for them instead.
[[gnu::always_inline]] inline void agg_remove(AggKind kind, AggState& s, const Value& v) {
  if (kind == AggKind::CountStar) {
    --s.count;
    return;
  }
  if (v.is_null()) return;
  --s.count;
  switch (kind) {
    case AggKind::SumInt:
    case AggKind::AvgInt:
      s.sum.i =
          static_cast<int64_t>(static_cast<uint64_t>(s.sum.i) - static_cast<uint64_t>(v.as_int()));
      break;
    case AggKind::SumFloat:
    case AggKind::AvgFloat:
      // With nothing left in the frame, start again from an exact 0 so that rounding errors of
      // the subtractions do not pile up over a long stream.
      s.sum.f = s.count == 0 ? 0.0 : s.sum.f - v.to_double();
      break;
    default:
      break;
  }
}

// The SQL result of a state: counts are never NULL; the others are NULL with no input.
[[gnu::always_inline]] inline Value agg_result(AggKind kind, const AggState& s) {
  switch (kind) {
    case AggKind::CountStar:
    case AggKind::Count:
      return Value::integer(s.count);
    case AggKind::SumInt:
      return s.count ? Value::integer(s.sum.i) : Value();
    case AggKind::SumFloat:
      return s.count ? Value::floating(s.sum.f) : Value();
    case AggKind::AvgInt:
      return s.count ? Value::floating(static_cast<double>(s.sum.i) / static_cast<double>(s.count))
                     : Value();
    case AggKind::AvgFloat:
      return s.count ? Value::floating(s.sum.f / static_cast<double>(s.count)) : Value();
    case AggKind::Min:
    case AggKind::Max:
      return s.extreme;
  }
  return Value();
}

// Feeds input rows into the states of a list of aggregates (states[i] belongs to specs[i]).
// The specs are flattened into plain steps once, so the per-row loop reads one small array
// instead of chasing vectors and unique_ptrs, and a column argument (the usual case) is read
// in place, without evaluating an expression.
class AggregateUpdater {
 public:
  explicit AggregateUpdater(const std::vector<AggregateSpec>& specs) {
    for (const AggregateSpec& spec : specs) {
      Step step{spec.kind, Source::Expression, 0, spec.arg.get()};
      if (!spec.arg) {
        step.source = Source::None;
      } else if (spec.arg->op == ExprOp::Column) {
        step.source = Source::Column;
        step.column = spec.arg->index;
      } else if (is_arithmetic(spec.arg->op) && is_leaf(*spec.arg->left) &&
                 is_leaf(*spec.arg->right)) {
        step.source = Source::LeafArithmetic;  // price * quantity
      }
      steps_.push_back(step);
    }
  }

  [[gnu::always_inline]] void update(AggState* states, const EvalRow& row) const {
    for (size_t i = 0; i < steps_.size(); ++i) {
      const Step& step = steps_[i];
      switch (step.source) {
        case Source::None:
          ++states[i].count;
          break;  // COUNT(*)
        case Source::Column:
          agg_add(step.kind, states[i], row.columns[step.column]);
          break;
        case Source::LeafArithmetic: {
          const BoundExpr& e = *step.arg;
          agg_add(step.kind, states[i],
                  arithmetic(e.op, leaf_value(*e.left, row), leaf_value(*e.right, row)));
          break;
        }
        case Source::Expression: {
          Value scratch;
          agg_add(step.kind, states[i], eval_ref(*step.arg, row, scratch));
          break;
        }
      }
    }
  }

 private:
  static bool is_leaf(const BoundExpr& e) {
    return e.op == ExprOp::Column || e.op == ExprOp::Literal;
  }
  // None: COUNT(*). Column: the value in place. LeafArithmetic: an operator over two columns or
  // literals, computed inline. Expression: anything else, through eval().
  enum class Source : uint8_t { None, Column, LeafArithmetic, Expression };
  struct Step {
    AggKind kind;
    Source source;
    uint32_t column;
    const BoundExpr* arg;
  };
  std::vector<Step> steps_;
};

// Writes the result of every aggregate into `out` (sized to specs.size()).
inline void aggregate_results(const std::vector<AggregateSpec>& specs, const AggState* states,
                              Value* out) {
  for (size_t i = 0; i < specs.size(); ++i) out[i] = agg_result(specs[i].kind, states[i]);
}

}  // namespace sg
