// Aggregate functions (COUNT, SUM, AVG, MIN, MAX): how the planner types them, and the running
// state each one keeps per group or per window partition.
//
// The kind is fixed at plan time from the function and its argument's type (SUM of an INTEGER
// keeps an integer sum, SUM of a FLOAT a double), so updating a state is one switch, with no
// per-value type dispatch beyond what NULLs need.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>
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
  ExprSite site;     // the call's line:column and text, for overflow errors
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

// x < y in the total order of float_order(): NaN above every number. The common case, x >= y
// and neither NaN, costs one comparison (MIN/MAX run it per row).
inline bool float_less(double x, double y) {
  return !(y <= x) && (x < y || (std::isnan(y) && !std::isnan(x)));
}

// MIN/MAX ordering, with the common same-type cases inlined before the general compare().
inline bool value_less(const Value& a, const Value& b) {
  if (a.type() == Type::Float && b.type() == Type::Float) return float_less(a.as_float(), b.as_float());
  if (a.type() == b.type() && (a.type() == Type::Integer || a.type() == Type::Timestamp)) {
    return a.as_int() < b.as_int();
  }
  return compare(a, b) < 0;
}

// The state functions are forced inline: they are a switch the caller's loop resolves, and an
// out-of-line call per value per aggregate cost more than the work itself.

// Adds one input value (already evaluated; NULLs are ignored except by COUNT(*)). An integer sum
// outside INT64 throws ArithmeticError naming `site` and `row` (the input row's columns).
[[gnu::always_inline]] inline void agg_add(AggKind kind, AggState& s, const Value& v,
                                           const ExprSite& site, const Value* row) {
  if (kind == AggKind::CountStar) {
    ++s.count;
    return;
  }
  if (v.is_null()) return;
  ++s.count;
  switch (kind) {
    case AggKind::SumInt:
    case AggKind::AvgInt:
      if (__builtin_add_overflow(s.sum.i, v.as_int(), &s.sum.i)) [[unlikely]] {
        throw_integer_overflow(site, row, 'S', s.sum.i, v.as_int());  // sum: wrapped
      }
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
// An integer sum that leaves INT64 throws, as in agg_add(): only when the rows still in the frame
// (without the newest) sum outside INT64, since the row leaving is removed before the new one is
// added.
[[gnu::always_inline]] inline void agg_remove(AggKind kind, AggState& s, const Value& v,
                                              const ExprSite& site, const Value* row) {
  if (kind == AggKind::CountStar) {
    --s.count;
    return;
  }
  if (v.is_null()) return;
  --s.count;
  switch (kind) {
    case AggKind::SumInt:
    case AggKind::AvgInt:
      if (__builtin_sub_overflow(s.sum.i, v.as_int(), &s.sum.i)) [[unlikely]] {
        throw_integer_overflow(site, row, 'R', s.sum.i, v.as_int());  // sum: wrapped
      }
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
//
// Each aggregate is flattened once into a step with one opcode that fuses the function and where
// its argument comes from (SUM of a FLOAT column, MIN of a column, SUM of column * column...), so
// the per-row loop takes one switch per aggregate instead of one on the source and another on the
// function. Each fused case handles the type the planner expects inline and hands anything else
// (NULLs, an INTEGER in a FLOAT column) to the general agg_add(), so results never depend on
// which path ran.
#define SG_FOR_EACH_AGG_OP(X) \
  X(CountStar)                \
  X(FloatSumOfColumn)         \
  X(IntSumOfColumn)           \
  X(MinOfColumn)              \
  X(MaxOfColumn)              \
  X(FloatSumOfProduct)        \
  X(Generic)

class AggregateUpdater {
 public:
  explicit AggregateUpdater(const std::vector<AggregateSpec>& specs) {
    for (const AggregateSpec& spec : specs) steps_.push_back(plan_step(spec));
  }

  [[gnu::always_inline]] void update(AggState* states, const EvalRow& row) const {
    // Locals: stores into the states must not make the compiler reload the vector's bounds.
    const Step* const steps = steps_.data();
    const size_t n = steps_.size();
    for (size_t i = 0; i < n; ++i) {
      const Step& step = steps[i];
      switch (step.op) {
#define SG_UPDATE_ONE(OP)                 \
  case Op::OP:                            \
    apply<Op::OP>(step, states[i], row);  \
    break;
        SG_FOR_EACH_AGG_OP(SG_UPDATE_ONE)
#undef SG_UPDATE_ONE
      }
    }
  }

  // One input row and the states of its group.
  struct Target {
    AggState* states;
    const Value* columns;
  };
  // The same updates for many rows at once, aggregate by aggregate: one switch per aggregate per
  // call instead of per row. Rows of the same group are applied in the order given, so results
  // are exactly those of update() called row by row. The states must stay where they are for the
  // whole call (no group added in between).
  void update_many(std::span<const Target> targets) const {
    for (size_t i = 0; i < steps_.size(); ++i) {
      const Step& step = steps_[i];
      switch (step.op) {
#define SG_UPDATE_MANY(OP)                                                                  \
  case Op::OP:                                                                              \
    for (const Target& t : targets) apply<Op::OP>(step, t.states[i], EvalRow{t.columns}); \
    break;
        SG_FOR_EACH_AGG_OP(SG_UPDATE_MANY)
#undef SG_UPDATE_MANY
      }
    }
  }

 private:
  // Generic: anything else, through arithmetic() or eval() and agg_add().
  enum class Op : uint8_t {
#define SG_AGG_OP_NAME(OP) OP,
    SG_FOR_EACH_AGG_OP(SG_AGG_OP_NAME)
#undef SG_AGG_OP_NAME
  };
  struct Step {
    Op op;
    AggKind kind;
    uint32_t left;   // the argument's column (or the product's left column)
    uint32_t right;  // the product's right column
    const BoundExpr* arg;
    const ExprSite* site;  // the call, for overflow errors
  };

  static bool is_leaf(const BoundExpr& e) {
    return e.op == ExprOp::Column || e.op == ExprOp::Literal;
  }

  static Step plan_step(const AggregateSpec& spec) {
    Step step{Op::Generic, spec.kind, 0, 0, spec.arg.get(), &spec.site};
    if (!spec.arg) {
      step.op = Op::CountStar;
      return step;
    }
    const BoundExpr& arg = *spec.arg;
    const bool float_sum = spec.kind == AggKind::SumFloat || spec.kind == AggKind::AvgFloat;
    const bool int_sum = spec.kind == AggKind::SumInt || spec.kind == AggKind::AvgInt;
    if (arg.op == ExprOp::Column) {
      step.left = arg.index;
      if (float_sum) step.op = Op::FloatSumOfColumn;
      if (int_sum) step.op = Op::IntSumOfColumn;
      if (spec.kind == AggKind::Min) step.op = Op::MinOfColumn;
      if (spec.kind == AggKind::Max) step.op = Op::MaxOfColumn;
    } else if (float_sum && arg.op == ExprOp::Mul && arg.left->op == ExprOp::Column &&
               arg.right->op == ExprOp::Column) {
      step.op = Op::FloatSumOfProduct;
      step.left = arg.left->index;
      step.right = arg.right->index;
    }
    return step;
  }

  // The work of one opcode on one row. Each case takes the type the planner expects inline and
  // hands anything else (a NULL, an INTEGER in a FLOAT column) to the general path.
  template <Op op>
  [[gnu::always_inline]] static void apply(const Step& step, AggState& s, const EvalRow& row) {
    const Value* const cols = row.columns;
    if constexpr (op == Op::CountStar) {
      ++s.count;
    } else if constexpr (op == Op::FloatSumOfColumn) {  // SUM / AVG of a FLOAT column
      const Value& v = cols[step.left];
      if (v.type() == Type::Float) {
        ++s.count;
        s.sum.f += v.as_float();
      } else {
        agg_add(step.kind, s, v, *step.site, cols);
      }
    } else if constexpr (op == Op::IntSumOfColumn) {  // SUM / AVG of an INTEGER column
      const Value& v = cols[step.left];
      if (v.type() == Type::Integer) {
        ++s.count;
        if (__builtin_add_overflow(s.sum.i, v.as_int(), &s.sum.i)) [[unlikely]] {
          throw_integer_overflow(*step.site, cols, 'S', s.sum.i, v.as_int());  // sum: wrapped
        }
      } else {
        agg_add(step.kind, s, v, *step.site, cols);
      }
    } else if constexpr (op == Op::MinOfColumn || op == Op::MaxOfColumn) {
      const Value& v = cols[step.left];
      if (v.type() == Type::Float && s.extreme.type() == Type::Float) {
        ++s.count;
        const bool better = op == Op::MinOfColumn ? float_less(v.as_float(), s.extreme.as_float())
                                                  : float_less(s.extreme.as_float(), v.as_float());
        if (better) s.extreme = v;
      } else {
        agg_add(step.kind, s, v, *step.site, cols);
      }
    } else if constexpr (op == Op::FloatSumOfProduct) {  // column * column, FLOAT by the planner
      const Value& a = cols[step.left];
      const Value& b = cols[step.right];
      if (a.type() == Type::Float && (b.type() == Type::Float || b.type() == Type::Integer)) {
        ++s.count;
        s.sum.f += a.as_float() * b.to_double();  // as arithmetic() computes a mixed product
      } else {
        generic(step, s, row);
      }
    } else {
      generic(step, s, row);
    }
  }

  [[gnu::noinline]] static void generic(const Step& step, AggState& s, const EvalRow& row) {
    const BoundExpr& e = *step.arg;
    if (e.op == ExprOp::Column) {
      agg_add(step.kind, s, row.columns[e.index], *step.site, row.columns);
    } else if (is_arithmetic(e.op) && is_leaf(*e.left) && is_leaf(*e.right)) {
      agg_add(step.kind, s,
              arithmetic(e.op, leaf_value(*e.left, row), leaf_value(*e.right, row), e.site,
                         row.columns),
              *step.site, row.columns);
    } else {
      Value scratch;
      agg_add(step.kind, s, eval_ref(e, row, scratch), *step.site, row.columns);
    }
  }

  std::vector<Step> steps_;
};

// Writes the result of every aggregate into `out` (sized to specs.size()).
inline void aggregate_results(const std::vector<AggregateSpec>& specs, const AggState* states,
                              Value* out) {
  for (size_t i = 0; i < specs.size(); ++i) out[i] = agg_result(specs[i].kind, states[i]);
}

}  // namespace sg
