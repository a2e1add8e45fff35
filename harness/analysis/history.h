// Result history in SQLite: every matrix or run result can be appended, with its environment, so
// that a cell's trend can be printed and its step changes flagged (`streamgauge history`).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

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
  // Oldest first, at most query.limit of the newest.
  std::vector<HistoryEntry> cells(const HistoryQuery& query) const;
  size_t run_count() const;

 private:
  struct Db;
  Db* db_;
};

// Flags each entry that is faster or slower than the previous entry of the same cell id.
std::vector<StepChange> step_changes(const std::vector<HistoryEntry>& entries,
                                     const CompareOptions& options = {});

// $STREAMGAUGE_HISTORY, else results/history.sqlite.
std::filesystem::path default_history_path();

}  // namespace sg
