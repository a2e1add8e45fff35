// Window functions (COUNT, SUM, AVG, MIN, MAX) over a ROWS frame: the last n rows of the
// current row's partition, the current row included. One output row per input row that passes
// WHERE.
//
// The stream is processed in arrival order: an OVER clause's ORDER BY is accepted (the seeds'
// queries carry one) but does not reorder anything; it names the order the source already has.
//
// Everything is kept incrementally per partition: COUNT/SUM/AVG as running sums (the value
// leaving the frame is subtracted; its argument is kept in a ring of n rows), MIN/MAX as a
// monotonic deque of (row number, value), whose front is the extreme and whose entries leave when
// they drop out of the frame or are dominated by a newer value. So a row costs O(1) amortised
// per function, never a rescan of the frame. Functions with the same PARTITION BY and frame
// share one partition lookup and one ring.
//
// Output metadata: the input row's, with key_hash = the hash of the (first) PARTITION BY key.
#pragma once

#include <memory>

#include "engine/engine.h"
#include "engine/plan.h"

namespace sg {

std::unique_ptr<Engine> make_rows_window_engine(std::shared_ptr<const QueryPlan> plan);

}  // namespace sg
