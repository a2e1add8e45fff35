// Turns a group of a GroupTable into an output row: finalises the aggregates, applies HAVING,
// evaluates the SELECT list. Shared by the hash aggregate and the tumbling windows.
//
// The usual SELECT list of a grouping query is group keys and aggregates, without HAVING; those
// rows are built straight from the group's keys and states, with no intermediate array of
// aggregate results and no expression evaluation (a continuous query does this per record).
#pragma once

#include <vector>

#include "engine/group_table.h"
#include "engine/physical_filter.h"
#include "engine/physical_projection.h"
#include "engine/plan.h"

namespace sg {

class GroupEmitter {
 public:
  explicit GroupEmitter(const QueryPlan& plan)
      : aggregates_(&plan.aggregates),
        having_(plan.having.get()),
        projection_(plan.outputs),
        results_(plan.aggregates.size()) {
    direct_ = plan.having == nullptr;
    for (const BoundExprPtr& e : plan.outputs) {
      DirectOutput o{DirectOp::Literal, e->index, &e->literal};
      if (e->op == ExprOp::Key) {
        o.op = DirectOp::Key;
      } else if (e->op == ExprOp::Aggregate) {
        o.op = direct_op(plan.aggregates[e->index].kind);
      } else if (e->op != ExprOp::Literal) {
        direct_ = false;
      }
      direct_outputs_.push_back(o);
    }
  }

  // Appends the group's row unless HAVING rejects it; returns whether it did.
  bool emit(const GroupTable& table, uint32_t group, const RecordMeta& meta, Batch& out) {
    return emit(table.keys(group), table.states(group), meta, out);
  }
  // The same for a group whose key values and aggregate states lie elsewhere.
  bool emit(const Value* keys, const AggState* states, const RecordMeta& meta, Batch& out) {
    if (direct_) {
      emit_direct(keys, states, meta, out);
      return true;
    }
    aggregate_results(*aggregates_, states, results_.data());
    const EvalRow row{nullptr, keys, results_.data()};
    if (!having_.keeps(row)) return false;
    out.push_back(projection_.project(row, meta));
    return true;
  }

  // The row of a group that saw no input (EMIT FINAL without GROUP BY on an empty stream).
  bool emit_empty(const RecordMeta& meta, Batch& out) {
    const AggState fresh;
    for (size_t i = 0; i < aggregates_->size(); ++i) {
      results_[i] = agg_result((*aggregates_)[i].kind, fresh);
    }
    const EvalRow row{nullptr, nullptr, results_.data()};
    if (!having_.keeps(row)) return false;
    out.push_back(projection_.project(row, meta));
    return true;
  }

 private:
  // What one output of the direct path copies or computes: one opcode per output that already
  // knows the aggregate's finalisation (agg_result's cases), so a row costs one switch per value.
  enum class DirectOp : uint8_t { Key, Count, SumInt, SumFloat, AvgInt, AvgFloat, Extreme, Literal };
  struct DirectOutput {
    DirectOp op;
    uint32_t index;  // Key: key index; aggregates: state index
    const Value* literal;
  };

  static DirectOp direct_op(AggKind kind) {
    switch (kind) {
      case AggKind::CountStar:
      case AggKind::Count:
        return DirectOp::Count;
      case AggKind::SumInt:
        return DirectOp::SumInt;
      case AggKind::SumFloat:
        return DirectOp::SumFloat;
      case AggKind::AvgInt:
        return DirectOp::AvgInt;
      case AggKind::AvgFloat:
        return DirectOp::AvgFloat;
      case AggKind::Min:
      case AggKind::Max:
        return DirectOp::Extreme;
    }
    return DirectOp::Extreme;
  }

  // Must give exactly what agg_result() gives (test_physical_hash_aggregate checks both paths).
  void emit_direct(const Value* keys, const AggState* states, const RecordMeta& meta, Batch& out) {
    const DirectOutput* const outputs = direct_outputs_.data();
    const size_t n = direct_outputs_.size();
    RecordAppender row(n, meta);
    for (size_t i = 0; i < n; ++i) {
      const DirectOutput& o = outputs[i];
      if (o.op == DirectOp::Key) {
        row.append(keys[o.index]);
        continue;
      }
      if (o.op == DirectOp::Literal) {
        row.append(*o.literal);
        continue;
      }
      // Aggregates only: a query without any (GROUP BY keys alone) has no states at all, and
      // even forming a reference into a null array is undefined (the fuzzer's UBSan build found
      // `SELECT trader_id ... GROUP BY trader_id, symbol`).
      const AggState& s = states[o.index];
      switch (o.op) {
        case DirectOp::Key:
        case DirectOp::Literal:
          break;  // handled above
        case DirectOp::Count:
          row.append(Value::integer(s.count));
          break;
        case DirectOp::SumInt:
          row.append(s.count ? Value::integer(s.sum.i) : Value());
          break;
        case DirectOp::SumFloat:
          row.append(s.count ? Value::floating(s.sum.f) : Value());
          break;
        case DirectOp::AvgInt:
          row.append(s.count ? Value::floating(static_cast<double>(s.sum.i) /
                                               static_cast<double>(s.count))
                             : Value());
          break;
        case DirectOp::AvgFloat:
          row.append(s.count ? Value::floating(s.sum.f / static_cast<double>(s.count)) : Value());
          break;
        case DirectOp::Extreme:
          row.append(s.extreme);
          break;
      }
    }
    out.push_back(row.build());
  }

  bool direct_ = false;
  std::vector<DirectOutput> direct_outputs_;
  const std::vector<AggregateSpec>* aggregates_;
  PhysicalFilter having_;
  PhysicalProjection projection_;
  std::vector<Value> results_;
};

}  // namespace sg
