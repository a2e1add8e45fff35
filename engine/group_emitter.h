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
      const AggKind kind =
          e->op == ExprOp::Aggregate ? plan.aggregates[e->index].kind : AggKind::CountStar;
      direct_ = direct_ &&
                (e->op == ExprOp::Key || e->op == ExprOp::Aggregate || e->op == ExprOp::Literal);
      direct_outputs_.push_back(DirectOutput{e->op, kind, e->index, &e->literal});
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
  struct DirectOutput {
    ExprOp op;     // Key, Aggregate or Literal
    AggKind kind;  // Aggregate: how to finalise states[index]
    uint32_t index;
    const Value* literal;
  };

  void emit_direct(const Value* keys, const AggState* states, const RecordMeta& meta, Batch& out) {
    RecordBuilder builder(direct_outputs_.size(), meta);
    for (size_t i = 0; i < direct_outputs_.size(); ++i) {
      const DirectOutput& o = direct_outputs_[i];
      switch (o.op) {
        case ExprOp::Key:
          builder[i] = keys[o.index];
          break;
        case ExprOp::Aggregate:
          builder[i] = agg_result(o.kind, states[o.index]);
          break;
        default:
          builder[i] = *o.literal;
          break;
      }
    }
    out.push_back(builder.build());
  }

  bool direct_ = false;
  std::vector<DirectOutput> direct_outputs_;
  const std::vector<AggregateSpec>* aggregates_;
  PhysicalFilter having_;
  PhysicalProjection projection_;
  std::vector<Value> results_;
};

}  // namespace sg
