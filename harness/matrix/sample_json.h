// A timed pass read back from its JSON (RunResult::to_json), so that a resumed matrix keeps the
// passes an interrupted run journaled. A digest or fingerprint cannot be rebuilt from its JSON,
// but every pass that counts reproduced a known output (the reference's fingerprint on timed and
// instrumented passes, which carry no digest; nothing for a peer): the caller passes it, and the
// pass's journaled digest and fingerprint must equal it.
#pragma once

#include <nlohmann/json.hpp>

#include "harness/job/job.h"

namespace sg {

struct ExpectedOutput {
  Digest digest;
  OutputFingerprint fingerprint;
};

// Throws std::runtime_error when `sample` is not a pass's JSON, when its output is not
// `expected`, or when the restored pass would not write back the same JSON (a field this
// reader does not know yet): a pass is restored exactly or not at all.
RunResult run_result_from_json(const nlohmann::json& sample, const ExpectedOutput& expected);

}  // namespace sg
