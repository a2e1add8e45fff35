// GROUP BY without a window (and aggregates without GROUP BY: one group).
//
// EMIT CHANGES (the default) makes it a continuous query: every input row that passes WHERE
// emits the updated row of its group (if the group passes HAVING). EMIT FINAL is batch
// semantics: each group's row once, at finish(), in first-seen order; without GROUP BY one row
// even for an empty input, as SQL's `SELECT COUNT(*) FROM t` does.
//
// Output metadata: event_time, offset and partition of the latest input row of the group;
// key_hash = the group key's hash (the same as partition_hash() of its input rows).
#pragma once

#include <memory>

#include "engine/engine.h"
#include "engine/plan.h"

namespace sg {

std::unique_ptr<Engine> make_hash_aggregate_engine(std::shared_ptr<const QueryPlan> plan);

}  // namespace sg
