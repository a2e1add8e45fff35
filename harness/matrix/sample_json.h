// A timed pass read back from its JSON (RunResult::to_json), so that a resumed matrix keeps the
// passes an interrupted run journaled. A digest cannot be rebuilt from its JSON (it folds every
// key), but every pass that counts reproduced a known digest (the reference, or none for a
// peer): the caller passes that digest, and the pass's journaled digest must equal it.
#pragma once

#include <nlohmann/json.hpp>

#include "harness/job/job.h"

namespace sg {

// Throws std::runtime_error when `sample` is not a pass's JSON, when its digest is not
// `expected_digest`, or when the restored pass would not write back the same JSON (a field this
// reader does not know yet): a pass is restored exactly or not at all.
RunResult run_result_from_json(const nlohmann::json& sample, const Digest& expected_digest);

}  // namespace sg
