// GROUP BY per tumbling window: window = [floor(t / size) * size, + size), t the time column or
// the record's event time.
//
// The watermark is the largest time seen minus the allowed lateness. A window closes when the
// watermark reaches its end (so a record at exactly the end belongs to, and opens, the next
// window, and closes this one when lateness is 0). A record whose window has closed is late:
// dropped and counted in EngineStats::late_records. A record whose time column is NULL cannot be
// placed in any window and is counted as late too. Records that WHERE rejects still advance
// the watermark: time passes whether or not a row is selected.
//
// EMIT FINAL (the default) emits each group's row once, when its window closes, windows in time
// order and groups in first-seen order; finish() closes the windows still open. EMIT CHANGES
// emits the updated row of the record's group for every record (constant work per record) and
// nothing at closing or finish(); closing then only frees the window's state.
//
// Open windows are kept in a deque ordered by start time: records almost always hit the newest
// window (checked first), and closing pops from the front, never scanning groups that stay open.
// GROUP BY keys live once in a key dictionary shared by all windows (keys recur window after
// window); a window maps key ids to its groups with a plain array (window_groups.h). Closed
// windows' arrays are kept for reuse, so a steady stream allocates nothing for state, and the
// dictionary sheds keys no open window uses once they are most of it.
//
// Output metadata: event_time = window end - 1 (the last instant inside the window, at most
// INT64_MAX: window bounds are computed without overflow at the ends of the range), offset
// and partition of the group's latest input record, key_hash = the GROUP BY key's hash (without
// the window).
#pragma once

#include <memory>

#include "engine/engine.h"
#include "engine/plan.h"

namespace sg {

std::unique_ptr<Engine> make_tumbling_window_engine(std::shared_ptr<const QueryPlan> plan);

// floor(t / size) * size, also for negative t; INT64_MIN when that is below the int64 range.
int64_t tumbling_window_start(int64_t t, int64_t size_ms);

}  // namespace sg
