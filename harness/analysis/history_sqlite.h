// What history.cpp and latency_history.cpp share: the open database and a prepared statement.
// Private to harness/analysis/ (the History class is the interface).
#pragma once

#include <sqlite3.h>

#include <stdexcept>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "harness/analysis/history.h"
#include "harness/matrix/environment.h"

namespace sg {

// A prepared statement that finalizes itself.
class HistoryStatement {
 public:
  HistoryStatement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("history: cannot prepare: ") + sqlite3_errmsg(db));
    }
  }
  ~HistoryStatement() { sqlite3_finalize(stmt_); }
  HistoryStatement(const HistoryStatement&) = delete;
  HistoryStatement& operator=(const HistoryStatement&) = delete;
  void bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.c_str(), -1, SQLITE_TRANSIENT);
  }
  void bind(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void bind(int i, double v) { sqlite3_bind_double(stmt_, i, v); }
  bool step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(std::string("history: ") + sqlite3_errmsg(db_));
  }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::string text(int i) const {
    auto* p = sqlite3_column_text(stmt_, i);
    return p ? reinterpret_cast<const char*>(p) : "";
  }
  int64_t integer(int i) const { return sqlite3_column_int64(stmt_, i); }
  double real(int i) const { return sqlite3_column_double(stmt_, i); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

struct History::Db {
  sqlite3* handle = nullptr;
  std::string file;

  void exec(const char* sql) const {
    char* err = nullptr;
    if (sqlite3_exec(handle, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      throw std::runtime_error(fmt::format("{}: {}", file, msg));
    }
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error(fmt::format("{}: {}: {}", file, what, sqlite3_errmsg(handle)));
  }
  // Runs `body` in one transaction: committed when it returns, rolled back when it throws.
  template <class Body>
  auto transaction(Body&& body) {
    exec("BEGIN");
    try {
      auto out = body();
      exec("COMMIT");
      return out;
    } catch (...) {
      exec("ROLLBACK");
      throw;
    }
  }
  // Adds a row to runs for a result measured in `env`; returns its id.
  int64_t insert_run(const Environment& env, const std::string& matrix, bool quick) {
    HistoryStatement run(handle,
                         "INSERT INTO runs (date_utc, commit_id, matrix, quick, command, "
                         "environment) VALUES (?, ?, ?, ?, ?, ?)");
    run.bind(1, env.date_utc);
    run.bind(2, env.commit);
    run.bind(3, matrix);
    run.bind(4, int64_t(quick));
    run.bind(5, env.command);
    // The command line may hold any bytes: what is not UTF-8 is written as U+FFFD (utf8.h).
    run.bind(6, to_json(env).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    run.step();
    return sqlite3_last_insert_rowid(handle);
  }
};

}  // namespace sg
