// The planner's output: one SELECT with every name bound and every type checked, in the shape
// of the physical operators that will run it. Immutable once built; shared by all Engine
// instances of a CompiledQuery.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/aggregate_state.h"
#include "engine/expression.h"
#include "engine/query.h"
#include "engine/schema.h"
#include "engine/sql/ast.h"

namespace sg {

enum class PlanShape {
  Select,          // WHERE + projection, no state
  HashAggregate,   // GROUP BY and/or aggregates, no window
  TumblingWindow,  // GROUP BY and/or aggregates per tumbling time window
  RowsWindow       // window functions over the last n rows of a partition
};

// When grouping operators emit: on every change (a continuous query) or once per group when
// it is complete (end of stream, or the window closing).
enum class Emission { Changes, Final };

// One distinct OVER (...) of a ROWS window. Window functions with the same PARTITION BY and
// frame share one partition state.
struct RowsWindowSpec {
  std::vector<BoundExprPtr> partition_by;
  int64_t frame_rows = 1;  // the current row included
  std::vector<AggregateSpec> functions;
  // Where each function's result goes in EvalRow::aggregates of the projection.
  std::vector<uint32_t> result_slots;
};

struct QueryPlan {
  PlanShape shape = PlanShape::Select;
  Schema input;
  Schema output;
  std::string source;

  BoundExprPtr where;  // null: no WHERE

  // HashAggregate and TumblingWindow. Outputs and HAVING read keys and aggregates only.
  std::vector<BoundExprPtr> group_keys;
  std::vector<std::string> group_key_names;
  std::vector<AggregateSpec> aggregates;
  BoundExprPtr having;  // null: no HAVING
  Emission emission = Emission::Changes;

  // TumblingWindow: the time column (nullopt: RecordMeta::event_time), window size and allowed
  // lateness in ms.
  std::optional<uint32_t> time_column;
  int64_t window_ms = 0;
  int64_t allowed_lateness_ms = 0;

  // RowsWindow.
  std::vector<RowsWindowSpec> windows;
  size_t window_result_count = 0;

  // The SELECT list (in the output schema's order).
  std::vector<BoundExprPtr> outputs;
  // Select only: the outputs are the input columns, unchanged and in order, so an output row can
  // be the input record itself.
  bool shares_input = false;

  Partitioning partitioning = Partitioning::Any;

  // The key partition_hash() hashes, over input columns: the group keys, or the first window's
  // PARTITION BY (ByKey requires every window to have that same PARTITION BY). Empty otherwise.
  const std::vector<BoundExprPtr>& partition_key() const {
    static const std::vector<BoundExprPtr> kNone;
    if (shape == PlanShape::HashAggregate || shape == PlanShape::TumblingWindow) return group_keys;
    if (shape == PlanShape::RowsWindow && !windows.empty()) return windows[0].partition_by;
    return kNone;
  }
};

// Binds and checks a parsed statement (throws SqlError).
std::shared_ptr<const QueryPlan> plan_select(const ast::SelectStatement& stmt, const Schema& input);

// Hash of the key expressions over one input row; the same chain the group tables use.
uint64_t hash_key_exprs(const std::vector<BoundExprPtr>& key, const EvalRow& row);

}  // namespace sg
