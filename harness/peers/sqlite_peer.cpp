// The sqlite peer: Debian's SQLite through its C API, an in-memory database per dataset.
//
// Untimed: creating the table from the query's input schema (plus the arrival sequence and the
// event time, which translated ROWS and TUMBLING(1m) windows use) and inserting every record
// with one prepared statement in one transaction; the connection is kept for later passes over
// the same dataset. Timed: sqlite3_step until SQLITE_DONE, each row's values read with
// sqlite3_column_* into Values (the peer's equivalent of our engine materialising its rows).
#include <sqlite3.h>

#include <chrono>
#include <list>
#include <memory>
#include <mutex>

#include <fmt/format.h>

#include "harness/peers/peer_support.h"

namespace sg {
namespace {

using Clock = std::chrono::steady_clock;

uint64_t ns_since(Clock::time_point t0) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count());
}

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Db = std::unique_ptr<sqlite3, DbCloser>;
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

// A failed SQLite call, with the statement and SQLite's message.
struct SqliteFailure {
  std::string message;
};

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
  throw SqliteFailure{fmt::format("sqlite peer: {}: {}", what, sqlite3_errmsg(db))};
}

void exec(sqlite3* db, const std::string& sql) {
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail(db, sql);
}

Stmt prepare(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) fail(db, sql);
  return Stmt(raw);
}

const char* column_type(Type t) {
  switch (t) {
    case Type::Float:
      return "REAL";
    case Type::String:
      return "TEXT";
    default:
      return "INTEGER";  // INTEGER, TIMESTAMP (ms) and BOOLEAN (0/1)
  }
}

void bind(sqlite3_stmt* stmt, int column, const Value& v) {
  switch (v.type()) {
    case Type::Null:
      sqlite3_bind_null(stmt, column);
      break;
    case Type::Integer:
    case Type::Timestamp:
      sqlite3_bind_int64(stmt, column, v.as_int());
      break;
    case Type::Float:
      sqlite3_bind_double(stmt, column, v.as_float());
      break;
    case Type::Boolean:
      sqlite3_bind_int64(stmt, column, v.as_bool() ? 1 : 0);
      break;
    case Type::String: {
      const std::string_view s = v.as_string();
      sqlite3_bind_text(stmt, column, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
      break;
    }
  }
}

// One dataset loaded into its own in-memory database.
struct LoadedDb {
  DatasetKey key;
  std::string table;
  std::string schema;  // Schema::to_string() of the table's input columns
  Db db;
  uint64_t load_ns = 0;
};

std::unique_ptr<LoadedDb> load(const PeerJob& job) {
  const Schema& schema = job.query.input_schema();
  const PeerExtraColumns extra = peer_extra_columns(schema);
  auto loaded = std::make_unique<LoadedDb>();
  const auto t0 = Clock::now();
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open(":memory:", &raw);
  loaded->db.reset(raw);
  if (rc != SQLITE_OK) fail(raw, "sqlite3_open(:memory:)");
  sqlite3* db = raw;

  const std::string table = peer_identifier(job.query.source_name());
  std::string create = "CREATE TABLE " + table + " (";
  std::string insert = "INSERT INTO " + table + " VALUES (";
  for (size_t i = 0; i < schema.size(); ++i) {
    create += peer_identifier(schema[i].name) + " " + column_type(schema[i].type) + ", ";
    insert += "?, ";
  }
  create +=
      peer_identifier(extra.seq) + " INTEGER, " + peer_identifier(extra.event_time) + " INTEGER)";
  insert += "?, ?)";
  exec(db, create);

  exec(db, "BEGIN");
  Stmt stmt = prepare(db, insert);
  const int width = static_cast<int>(schema.size());
  for (const RecordPtr& r : job.data.records) {
    if (r->size() != schema.size()) {
      throw SqliteFailure{fmt::format(
          "sqlite peer: record at offset {} has {} fields, the query's input schema {} ({})",
          r->offset(), r->size(), schema.size(), schema.to_string())};
    }
    for (int i = 0; i < width; ++i) bind(stmt.get(), i + 1, (*r)[static_cast<size_t>(i)]);
    sqlite3_bind_int64(stmt.get(), width + 1, r->offset());
    sqlite3_bind_int64(stmt.get(), width + 2, r->event_time());
    if (sqlite3_step(stmt.get()) != SQLITE_DONE) fail(db, "insert");
    sqlite3_reset(stmt.get());
  }
  stmt.reset();
  exec(db, "COMMIT");
  loaded->key = dataset_key(job.data);
  loaded->table = job.query.source_name();
  loaded->schema = schema.to_string();
  loaded->load_ns = ns_since(t0);
  return loaded;
}

// Loaded databases, most recently used first.
class DbCache {
 public:
  // The database holding `job`'s data, loading it if needed; `loaded_now` tells which.
  LoadedDb& get(const PeerJob& job, bool& loaded_now) {
    const DatasetKey key = dataset_key(job.data);
    const std::string schema = job.query.input_schema().to_string();
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if ((*it)->key == key && (*it)->table == job.query.source_name() && (*it)->schema == schema) {
        entries_.splice(entries_.begin(), entries_, it);
        loaded_now = false;
        return *entries_.front();
      }
    }
    // Make room first, so that two large databases never coexist needlessly.
    size_t held = job.data.records.size();
    for (auto it = entries_.begin(); it != entries_.end();) {
      held += (*it)->key.records;
      it = held > kPeerCacheRecords ? entries_.erase(it) : std::next(it);
    }
    entries_.push_front(load(job));
    loaded_now = true;
    return *entries_.front();
  }

 private:
  std::list<std::unique_ptr<LoadedDb>> entries_;
};

Value column_value(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      return Value::integer(sqlite3_column_int64(stmt, i));
    case SQLITE_FLOAT:
      return Value::floating(sqlite3_column_double(stmt, i));
    case SQLITE_TEXT: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      return Value::string(
          std::string_view(text, static_cast<size_t>(sqlite3_column_bytes(stmt, i))));
    }
    default:
      return Value::null();  // NULL (and BLOB, which no translated query produces)
  }
}

}  // namespace

void run_sqlite_peer(const PeerJob& job, PeerRun& run, PeerRows& rows) {
  static std::mutex mutex;  // one query at a time: the cache and its connections are shared
  static DbCache cache;
  std::lock_guard lock(mutex);
  try {
    bool loaded_now = false;
    LoadedDb& loaded = cache.get(job, loaded_now);
    // The load is reported for every pass (it happened once): the cost a user pays per dataset.
    run.load_ns = loaded.load_ns;
    sqlite3* db = loaded.db.get();
    Stmt stmt = prepare(db, job.translation.sql);
    const int width = sqlite3_column_count(stmt.get());
    rows.width = static_cast<size_t>(width);
    rows.values.clear();

    const auto t0 = Clock::now();
    int rc;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
      for (int i = 0; i < width; ++i) rows.values.push_back(column_value(stmt.get(), i));
    }
    run.query_ns = ns_since(t0);
    if (rc != SQLITE_DONE) fail(db, job.translation.sql);
    run.timed = "sqlite3_step until done, values read with sqlite3_column_* (load untimed)";
  } catch (const SqliteFailure& f) {
    run.status = PeerStatus::Failed;
    run.reason = f.message;
  }
}

}  // namespace sg
