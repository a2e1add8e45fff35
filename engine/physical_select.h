// The stateless query: WHERE, then the SELECT list. Output rows keep the input's metadata with
// key_hash 0. When the SELECT list is the input's columns unchanged, the output row is the input
// record itself (one reference-count increment, no copy).
#pragma once

#include <memory>

#include "engine/engine.h"
#include "engine/plan.h"

namespace sg {

std::unique_ptr<Engine> make_select_engine(std::shared_ptr<const QueryPlan> plan);

}  // namespace sg
