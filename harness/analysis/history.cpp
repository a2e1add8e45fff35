#include "harness/analysis/history.h"

#include <sqlite3.h>

#include <cstdlib>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "harness/analysis/history_sqlite.h"

namespace sg {
namespace {

const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY,
  date_utc TEXT NOT NULL,
  commit_id TEXT NOT NULL,
  matrix TEXT NOT NULL,
  quick INTEGER NOT NULL,
  command TEXT NOT NULL,
  environment TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS cells (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  cell_id TEXT NOT NULL,
  scenario TEXT NOT NULL,
  strategy TEXT NOT NULL,
  engine TEXT NOT NULL,
  batch_size INTEGER NOT NULL,
  partitions INTEGER NOT NULL,
  queue TEXT NOT NULL,
  records INTEGER NOT NULL,
  status TEXT NOT NULL,
  median_records_per_s REAL,
  cv REAL,
  wall_ns TEXT NOT NULL  -- JSON array of the timed repetitions
);
CREATE INDEX IF NOT EXISTS cells_by_cell ON cells (scenario, strategy, cell_id);
-- One row per offered rate of a latency cell (latency_history.cpp).
CREATE TABLE IF NOT EXISTS latency_cells (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  cell_id TEXT NOT NULL,
  scenario TEXT NOT NULL,
  strategy TEXT NOT NULL,
  engine TEXT NOT NULL,
  batch_size INTEGER NOT NULL,
  partitions INTEGER NOT NULL,
  linger_ns INTEGER NOT NULL,
  rate TEXT NOT NULL,
  offered_rate REAL NOT NULL,
  achieved_rate REAL NOT NULL,
  peak_records_per_s REAL NOT NULL,  -- the cell's closed-loop throughput, median of its passes
  status TEXT NOT NULL,              -- ok, or failed (a pass failed or its output differed)
  p50_ns REAL,                       -- over every output row of every pass
  p99_ns REAL,
  p99_9_ns REAL,
  max_backlog INTEGER NOT NULL,
  p99_ns_passes TEXT NOT NULL        -- JSON array: each pass's p99, the samples of a step
);
CREATE INDEX IF NOT EXISTS latency_cells_by_cell ON latency_cells (scenario, strategy, cell_id);
)";

}  // namespace

History::History(const std::filesystem::path& file) : db_(new Db) {
  db_->file = file.string();
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  if (sqlite3_open(db_->file.c_str(), &db_->handle) != SQLITE_OK) {
    std::string msg = db_->handle ? sqlite3_errmsg(db_->handle) : "out of memory";
    sqlite3_close(db_->handle);
    delete db_;
    throw std::runtime_error(
        fmt::format("{}: cannot open history database: {}", file.string(), msg));
  }
  sqlite3_busy_timeout(db_->handle, 5000);
  try {
    db_->exec(kSchema);
  } catch (...) {
    sqlite3_close(db_->handle);
    delete db_;
    throw;
  }
}

History::~History() {
  sqlite3_close(db_->handle);
  delete db_;
}

int64_t History::append(const MatrixResult& r) {
  return db_->transaction([&] {
    const int64_t run_id = db_->insert_run(r.environment, r.spec.name, r.spec.quick);
    HistoryStatement cell(
        db_->handle,
        "INSERT INTO cells (run_id, cell_id, scenario, strategy, engine, batch_size, "
        "partitions, queue, records, status, median_records_per_s, cv, wall_ns) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const CellResult& c : r.cells) {
      nlohmann::json walls = nlohmann::json::array();
      for (const RunResult& s : c.samples) walls.push_back(s.wall_ns);
      Summary t = c.throughput();
      cell.bind(1, run_id);
      cell.bind(2, c.cell.id());
      cell.bind(3, c.cell.scenario->name);
      cell.bind(4, c.cell.runner_name);
      cell.bind(
          5, std::string(c.cell.is_peer() ? "batch-sql" : engine_kind_name(c.cell.config.engine)));
      cell.bind(6, int64_t(c.cell.config.batch_size));
      cell.bind(7, int64_t(c.cell.config.partitions));
      cell.bind(8, std::string(queue_kind_name(c.cell.config.queue)));
      cell.bind(9, int64_t(c.cell.records));
      cell.bind(10, std::string(cell_status_name(c.status)));
      cell.bind(11, t.median);
      cell.bind(12, t.cv);
      cell.bind(13, walls.dump());
      cell.step();
      cell.reset();
    }
    return run_id;
  });
}

std::vector<HistoryEntry> History::cells(const HistoryQuery& q) const {
  HistoryStatement s(
      db_->handle,
      "SELECT r.id, r.date_utc, r.commit_id, r.matrix, c.cell_id, c.status, c.wall_ns, "
      "c.median_records_per_s, c.cv FROM cells c JOIN runs r ON r.id = c.run_id "
      "WHERE c.scenario = ?1 AND c.strategy = ?2 AND (?3 = '' OR c.engine = ?3) "
      "AND (?4 = 0 OR c.batch_size = ?4) AND (?5 = 0 OR c.partitions = ?5) "
      "AND (?6 = 0 OR c.records = ?6) ORDER BY r.id DESC LIMIT ?7");
  s.bind(1, q.scenario);
  s.bind(2, q.strategy);
  s.bind(3, q.engine);
  s.bind(4, q.batch_size);
  s.bind(5, int64_t(q.partitions));
  s.bind(6, q.records);
  s.bind(7, int64_t(q.limit));
  std::vector<HistoryEntry> out;
  while (s.step()) {
    HistoryEntry e;
    e.run_id = s.integer(0);
    e.date_utc = s.text(1);
    e.commit = s.text(2);
    e.matrix = s.text(3);
    e.cell_id = s.text(4);
    e.status = s.text(5);
    for (const auto& v : nlohmann::json::parse(s.text(6))) e.wall_ns.push_back(v.get<double>());
    e.median_records_per_s = s.real(7);
    e.cv = s.real(8);
    out.push_back(std::move(e));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

size_t History::run_count() const {
  HistoryStatement s(db_->handle, "SELECT COUNT(*) FROM runs");
  s.step();
  return static_cast<size_t>(s.integer(0));
}

std::vector<StepChange> step_changes(const std::vector<HistoryEntry>& entries,
                                     const CompareOptions& options) {
  std::vector<StepChange> out;
  std::map<std::string, size_t> previous;  // cell id -> index of its last entry with samples
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].wall_ns.empty()) continue;
    auto it = previous.find(entries[i].cell_id);
    if (it != previous.end()) {
      SampleSet a, b;
      a.kind = b.kind = "wall_ns";
      a.cells[entries[i].cell_id] = entries[it->second].wall_ns;
      b.cells[entries[i].cell_id] = entries[i].wall_ns;
      const CellComparison c = compare(a, b, options).cells.front();
      if (c.verdict == Verdict::Slower || c.verdict == Verdict::Faster) out.push_back({i, c});
    }
    previous[entries[i].cell_id] = i;
  }
  return out;
}

std::filesystem::path default_history_path() {
  if (const char* env = std::getenv("STREAMGAUGE_HISTORY")) return env;
  return std::filesystem::path("results") / "history.sqlite";
}

}  // namespace sg
