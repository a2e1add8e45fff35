// What the peers (peer_sqlite.cpp, peer_duckdb.cpp) share with run_peer() in peer.cpp: the rows
// a peer returns, the identity of a dataset for caching loaded data, and the per-peer entry
// points. Not a public API: matrix code calls run_peer() (harness/peers/peer.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/query.h"
#include "engine/value.h"
#include "harness/job/dataset.h"
#include "harness/peers/peer.h"
#include "harness/peers/sql_translation.h"

namespace sg {

// A peer's result rows, flat: row r is values[r * width .. (r + 1) * width).
struct PeerRows {
  size_t width = 0;
  std::vector<Value> values;
  size_t count() const { return width ? values.size() / width : 0; }
};

// Identifies a Dataset for the caches of loaded data. The address alone could be reused by a
// later Dataset once the first is freed, so the size and the first and last records (whose
// addresses are as unique as the dataset's while it lives) are part of the identity.
struct DatasetKey {
  const Dataset* dataset = nullptr;
  size_t records = 0;
  const Record* first = nullptr;
  const Record* last = nullptr;
  bool operator==(const DatasetKey&) const = default;
};
DatasetKey dataset_key(const Dataset& data);

// One peer's query over one dataset. The peer fills run.load_ns, run.query_ns and `rows`, or sets
// run.status to Unavailable (the peer cannot run here) or Failed (it failed) with a reason.
// run.check gets a note on what was timed.
struct PeerJob {
  const PeerTranslation& translation;
  const CompiledQuery& query;
  const Dataset& data;
};
void run_sqlite_peer(const PeerJob& job, PeerRun& run, PeerRows& rows);
void run_duckdb_peer(const PeerJob& job, PeerRun& run, PeerRows& rows);

// How many input records the loaded-data caches of each peer keep, across datasets (the matrix
// interleaves passes across scenarios, so several datasets are in use at once). The least
// recently used entries go first; the entry in use is always kept.
constexpr size_t kPeerCacheRecords = 4'000'000;

}  // namespace sg
