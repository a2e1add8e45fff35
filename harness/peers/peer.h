// Peers: other engines run on the same scenario and the same generated data in the same matrix
// (SQLite through its C API, DuckDB through its Node package), labelled as batch execution.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/query.h"
#include "harness/job/dataset.h"
#include "harness/job/digest.h"
#include "harness/workload/scenario.h"

namespace sg {

// Unavailable: the peer cannot run here (no node, an unknown name); a matrix skips its cells.
// Failed: it ran and failed, or its rows disagree with ours.
enum class PeerStatus { Ok, Unavailable, Failed };

struct PeerRun {
  PeerStatus status = PeerStatus::Ok;
  std::string reason;        // why unavailable / failed
  uint64_t load_ns = 0;      // loading the data into the peer: untimed in throughput
  uint64_t query_ns = 0;     // the timed part: the query, rows stepped out
  uint64_t rows = 0;
  std::string sql;           // the SQL the peer ran (the scenario's, translated)
  std::string timed;         // what query_ns covers, in words
  std::string check;         // what its rows were checked against, and the verdict
  std::string mode;          // "same-work" or "final-rows" (peer_mode_name())
  // "" when the peer did our work; else what it left out, printed wherever its figure is:
  // "less work: final rows only (1000 rows vs 1000000)".
  std::string work;
};

// "sqlite", "duckdb" (our work: on a continuous query one row per input, checked row for row)
// and "sqlite-final", "duckdb-final" (final-rows mode: each group's final row only, less work):
// the names run_peer() knows.
const std::vector<std::string>& peer_names();

// Runs `peer` (one of peer_names()) over `data`. `reference` is our engine's output digest on
// the same data (direct, EMIT as the scenario says).
PeerRun run_peer(const std::string& peer, const Scenario& scenario, const CompiledQuery& query,
                 const Dataset& data, const Digest& reference);

}  // namespace sg
