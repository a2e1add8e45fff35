// The noise floor between processes (issue 19's A/A run): pairs that do direct's work on both
// sides, run in separate processes (scenarios/matrix/between_processes.toml, which scripts/run
// runs several times). Pairing keeps a cell and its direct in one process, so a cell's interval
// knows its passes' variation but not the process's: the heap that the records are decoded into
// differs from one process to the next (design-notes#layout-between-processes). Two kinds of
// pair, since a thread of its own decodes into a heap of its own: direct's loop on a thread of
// its own (lockless_stp at one partition), and on the calling thread as direct's (batch_lock: one
// uncontended lock a batch more). The furthest a kind's pairs read from 1 is how far a ratio can
// be off for its process's sake alone, for cells that run as that kind does (explain applies it
// so).
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace sg {

struct ProcessFloorReading {
  std::string source;        // "FILE: CELL"
  double ratio = 1;          // the cell's paired ratio over direct (its median), 1 = the same time
  double low = 1, high = 1;  // that ratio's 95% interval, within its own process
  std::string key;           // what it is a reading of: its cell id
  double direct_ns = 0;      // direct's median paired wall per record in that process (0: none)
  bool calling_thread = false;  // its passes ran one thread, the calling one, as direct's do
};

struct ProcessFloor {
  // A reading whose direct ran more than this much slower than direct's median over the
  // processes for the same cell ran while the host took time from the VM (the threshold of
  // scripts/report_lib/host_speed.py): left out, since the floor is the process's, not the host's.
  static constexpr double kHostSlowed = 1.15;
  std::vector<ProcessFloorReading> readings;  // those the floor is taken over
  std::vector<ProcessFloorReading> left_out;  // on a slowed host
  size_t processes = 0;                       // result files read, one process each
  // max |ratio - 1| over each kind's readings; 0 where that kind was not measured
  double fraction = 0;                 // pairs whose cell runs threads of its own
  double calling_thread_fraction = 0;  // pairs whose cell runs on the calling thread

  bool measured() const { return !readings.empty(); }
  bool measured(bool calling_thread) const;
  double fraction_for(bool calling_thread) const {
    return calling_thread ? calling_thread_fraction : fraction;
  }
  // An overhead whose size is at most the kind's fraction of direct's time cannot be told from
  // what the same work read in another process. False where that kind was not measured.
  bool contains(double overhead_ns_per_record, double baseline_ns_per_record,
                bool calling_thread = false) const;
};

// From matrix results ("streamgauge-matrix-result/1"), one per process, each named: every cell
// with pairs counts as a reading, but for those on a slowed host (kHostSlowed); a cell whose
// passes list one thread is a calling-thread reading (no thread list: threads of its own). At
// least two
// processes are needed, since one process cannot show how far the next reads from it. Throws
// ExplainError naming the result that is not a matrix result or has no paired cell.
ProcessFloor process_floor_of(const std::vector<std::pair<std::string, nlohmann::json>>& results);
// Every *.json in `dir`, in name order. Throws ExplainError for a missing folder, bad JSON, or
// what process_floor_of refuses.
ProcessFloor load_process_floor(const std::filesystem::path& dir);

}  // namespace sg
