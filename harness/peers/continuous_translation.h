// The same-work form of a continuous query (a GROUP BY without EMIT FINAL, or a tumbling window
// with EMIT CHANGES) for a batch peer: what our engine emits, one row per input that passes
// WHERE (and HAVING), in arrival order, written with window functions:
//
//   SELECT keys, SUM(x) OVER sg_group, ... FROM t WHERE ..
//   WINDOW sg_group AS (PARTITION BY keys[, bucket] ORDER BY <seq> ROWS UNBOUNDED PRECEDING)
//   ORDER BY <seq>
//
// Each aggregate is its group's running value after the current row, as our engine's state is
// when it emits; a key in SELECT or HAVING is the current row's value, which is its group's key.
// With HAVING, the rows go through a subquery that computes the condition beside them, and the
// rows HAVING rejects are dropped, as our engine suppresses them. A tumbling window's bucket is
// the same `t - (t % size_ms)` as the batch form's (non-negative times). Late records (which our
// engine drops) are not modelled: the check reports the peer unavailable when ours had any.
#pragma once

#include <string>

#include "engine/sql/ast.h"

namespace sg {

// COUNT, SUM, AVG, MIN or MAX without an OVER clause: every aggregate our dialect has.
bool is_aggregate_call(const ast::Expr& e);

// The statement in its same-work form. `dialect` is the peer's (quoting, operators, `*`);
// `seq_column` the loaded arrival order, `event_time_column` the loaded event time.
std::string continuous_query_sql(const ast::SelectStatement& stmt, ast::SqlDialect dialect,
                                 const std::string& seq_column,
                                 const std::string& event_time_column);

}  // namespace sg
