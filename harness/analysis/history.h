// Result history in SQLite: every matrix or run result can be appended, with its environment, so
// that a cell's trend can be printed and its step changes flagged (`streamgauge history`).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "harness/analysis/compare.h"
#include "harness/matrix/matrix_result.h"

namespace sg {

struct HistoryEntry {
  int64_t run_id = 0;
  std::string date_utc;
  std::string commit;
  std::string matrix;
  std::string cell_id;
  std::string status;
  std::vector<double> wall_ns;  // the timed repetitions
  double median_records_per_s = 0;
  double cv = 0;
};

// One offered rate of one latency cell in one run (`streamgauge latency --history`).
struct LatencyHistoryEntry {
  int64_t run_id = 0;
  std::string date_utc;
  std::string commit;
  std::string matrix;
  std::string cell_id;  // latency_cell_id(): the id `compare` judges
  std::string rate;     // as given: "50%" or "200k"
  std::string status;   // ok or failed
  double offered_rate = 0;
  double achieved_rate = 0;
  double peak_records_per_s = 0;  // the cell's closed-loop throughput
  double p50_ns = 0, p99_ns = 0, p99_9_ns = 0;
  uint64_t max_backlog = 0;
  std::vector<double> p99_passes_ns;  // each pass's p99
};

struct HistoryQuery {
  std::string scenario;
  std::string strategy;
  std::string engine;  // empty: any
  int64_t batch_size = 0;  // 0: any
  int partitions = 0;      // 0: any
  int64_t records = 0;     // 0: any
  size_t limit = 50;       // newest entries
};

// A step change between two consecutive entries of the same cell, judged like `compare` does.
struct StepChange {
  size_t index = 0;  // entries[index] differs from entries[index - 1]
  CellComparison comparison;
};

class History {
 public:
  // Opens (creating if needed) the database. Throws std::runtime_error naming the file.
  explicit History(const std::filesystem::path& file);
  ~History();
  History(const History&) = delete;
  History& operator=(const History&) = delete;

  // Appends every cell of the result, in one transaction. Returns the run's id.
  int64_t append(const MatrixResult& result);
  // Appends every offered rate of every cell of a streamgauge-latency/1 result (as `streamgauge
  // latency` writes it), in one transaction. Returns the run's id. Throws std::runtime_error on
  // another format, naming it.
  int64_t append_latency(const nlohmann::json& result);
  // Oldest first, at most query.limit of the newest.
  std::vector<HistoryEntry> cells(const HistoryQuery& query) const;
  // Latency entries of the query's scenario and strategy (its engine, batch size and partitions
  // when set; records is ignored: a latency cell's records follow its rate). Oldest first.
  std::vector<LatencyHistoryEntry> latency_cells(const HistoryQuery& query) const;
  size_t run_count() const;

 private:
  struct Db;
  Db* db_;
};

// Flags each entry that is faster or slower than the previous entry of the same cell id.
std::vector<StepChange> step_changes(const std::vector<HistoryEntry>& entries,
                                     const CompareOptions& options = {});

// Flags each latency entry whose per-pass p99 is higher ("slower") or lower ("faster") than the
// previous entry of the same cell id, judged as `compare` judges a latency result.
std::vector<StepChange> step_changes(const std::vector<LatencyHistoryEntry>& entries,
                                     const CompareOptions& options = {});

// $STREAMGAUGE_HISTORY, else results/history.sqlite.
std::filesystem::path default_history_path();

}  // namespace sg
