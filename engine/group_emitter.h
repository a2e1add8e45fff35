// Turns a group of a GroupTable into an output row: finalises the aggregates, applies HAVING,
// evaluates the SELECT list. Shared by the hash aggregate and the tumbling windows.
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
        results_(plan.aggregates.size()) {}

  // Appends the group's row unless HAVING rejects it; returns whether it did.
  bool emit(const GroupTable& table, uint32_t group, const RecordMeta& meta, Batch& out) {
    aggregate_results(*aggregates_, table.states(group), results_.data());
    const EvalRow row{nullptr, table.keys(group), results_.data()};
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
  const std::vector<AggregateSpec>* aggregates_;
  PhysicalFilter having_;
  PhysicalProjection projection_;
  std::vector<Value> results_;
};

}  // namespace sg
