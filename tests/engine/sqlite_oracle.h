// SQLite as the oracle of the differential tests: an in-memory database loaded with the same
// records the engine sees, queried with (nearly) the same SQL, its rows read back as Values.
#pragma once

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/record.h"
#include "engine/schema.h"

namespace sg::test {

using ValueRow = std::vector<Value>;

class SqliteOracle {
 public:
  SqliteOracle() {
    if (sqlite3_open(":memory:", &db_) != SQLITE_OK) throw std::runtime_error("sqlite3_open");
  }
  ~SqliteOracle() { sqlite3_close(db_); }
  SqliteOracle(const SqliteOracle&) = delete;
  SqliteOracle& operator=(const SqliteOracle&) = delete;

  void load(const std::string& table, const Schema& schema, const std::vector<RecordPtr>& rows) {
    std::string create = "CREATE TABLE " + table + " (";
    std::string insert = "INSERT INTO " + table + " VALUES (";
    for (size_t i = 0; i < schema.size(); ++i) {
      const Type t = schema[i].type;
      create += (i ? ", " : "") + schema[i].name + " " +
                (t == Type::Float    ? "REAL"
                 : t == Type::String ? "TEXT"
                                     : "INTEGER");
      insert += i ? ", ?" : "?";
    }
    exec(create + ")");
    exec("BEGIN");
    sqlite3_stmt* stmt = prepare(insert + ")");
    for (const RecordPtr& r : rows) {
      for (size_t i = 0; i < r->size(); ++i) {
        const Value& v = (*r)[i];
        const int col = static_cast<int>(i) + 1;
        switch (v.type()) {
          case Type::Null:
            sqlite3_bind_null(stmt, col);
            break;
          case Type::Integer:
          case Type::Timestamp:
            sqlite3_bind_int64(stmt, col, v.as_int());
            break;
          case Type::Float:
            sqlite3_bind_double(stmt, col, v.as_float());
            break;
          case Type::Boolean:
            sqlite3_bind_int64(stmt, col, v.as_bool() ? 1 : 0);
            break;
          case Type::String: {
            const std::string_view s = v.as_string();
            sqlite3_bind_text(stmt, col, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
            break;
          }
        }
      }
      if (sqlite3_step(stmt) != SQLITE_DONE) fail("insert");
      sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    exec("COMMIT");
  }

  std::vector<ValueRow> query(const std::string& sql) {
    sqlite3_stmt* stmt = prepare(sql);
    std::vector<ValueRow> rows;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      ValueRow row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        switch (sqlite3_column_type(stmt, i)) {
          case SQLITE_INTEGER:
            row.push_back(Value::integer(sqlite3_column_int64(stmt, i)));
            break;
          case SQLITE_FLOAT:
            row.push_back(Value::floating(sqlite3_column_double(stmt, i)));
            break;
          case SQLITE_TEXT:
            row.push_back(
                Value::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, i))));
            break;
          default:
            row.push_back(Value::null());
            break;
        }
      }
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) fail(sql);
    return rows;
  }

 private:
  void exec(const std::string& sql) {
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail(sql);
  }
  sqlite3_stmt* prepare(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) fail(sql);
    return stmt;
  }
  [[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error("sqlite: " + what + ": " + sqlite3_errmsg(db_));
  }

  sqlite3* db_ = nullptr;
};

// Equal as SQL results: NULL only with NULL, strings exactly, numbers by value (a BOOLEAN as
// 0/1, as SQLite has no booleans), floats within a relative tolerance for summation order.
inline bool same_result(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return a.is_null() && b.is_null();
  const auto number = [](const Value& v) {
    return v.type() == Type::Boolean ? (v.as_bool() ? 1.0 : 0.0) : v.to_double();
  };
  const bool na = a.is_numeric() || a.type() == Type::Boolean;
  const bool nb = b.is_numeric() || b.type() == Type::Boolean;
  if (na && nb) {
    if (a.type() != Type::Float && b.type() != Type::Float) return number(a) == number(b);
    const double x = number(a), y = number(b);
    if (x == y) return true;  // infinities too
    return std::fabs(x - y) <= 1e-9 * std::max({1.0, std::fabs(x), std::fabs(y)});
  }
  if (a.type() == Type::String && b.type() == Type::String) return a.as_string() == b.as_string();
  return false;
}

inline std::string describe(const ValueRow& row) {
  std::string out;
  for (size_t i = 0; i < row.size(); ++i) out += (i ? "|" : "") + row[i].to_string();
  return out;
}

inline ValueRow values_of(const Record& r) {
  return ValueRow(r.values_span().begin(), r.values_span().end());
}

// Orders rows by all their values (compare()): for comparing sets of rows whose leading
// columns are a unique key, so float noise in later columns never decides the order.
inline void sort_rows(std::vector<ValueRow>& rows) {
  std::sort(rows.begin(), rows.end(), [](const ValueRow& a, const ValueRow& b) {
    return std::lexicographical_compare(
        a.begin(), a.end(), b.begin(), b.end(),
        [](const Value& x, const Value& y) { return compare(x, y) < 0; });
  });
}

// "" when the row lists agree, else a description of the first difference.
inline std::string difference(const std::vector<ValueRow>& ours, const std::vector<ValueRow>& sqlite) {
  if (ours.size() != sqlite.size()) {
    return "row counts differ: ours " + std::to_string(ours.size()) + ", SQLite " +
           std::to_string(sqlite.size());
  }
  for (size_t r = 0; r < ours.size(); ++r) {
    bool same = ours[r].size() == sqlite[r].size();
    for (size_t c = 0; same && c < ours[r].size(); ++c)
      same = same_result(ours[r][c], sqlite[r][c]);
    if (!same) {
      return "row " + std::to_string(r) + ": ours " + describe(ours[r]) + ", SQLite " +
             describe(sqlite[r]);
    }
  }
  return "";
}

inline std::vector<ValueRow> rows_of(const Batch& batch) {
  std::vector<ValueRow> out;
  for (const RecordPtr& r : batch) out.push_back(values_of(*r));
  return out;
}

}  // namespace sg::test
