// run_peer(): translate the scenario's SQL, let the peer run it (peer_sqlite.cpp,
// peer_duckdb.cpp), then check the peer's rows against our engine's, in the form the two are
// comparable in:
//
//   filters, projections, ROWS windows,   the multiset of all our output rows
//   EMIT FINAL GROUP BY, tumbling FINAL
//   continuous GROUP BY, EMIT CHANGES     the last output row of each group (and window)
//
// Values are compared as our output schema types them (SQLite has no booleans, DuckDB returns
// SUM of integers as HUGEINT) and floats to 9 significant digits, since a batch engine sums in
// another order. The rare float that rounds differently on the two sides (a sum that lies on a
// rounding boundary) is then matched within a relative 1e-9 instead, so the check never fails on
// summation order, and still catches any real difference.
//
// Our side is computed once per dataset and query (untimed, cached), never per pass.
#include "harness/peers/peer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <list>
#include <mutex>
#include <unordered_map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "harness/peers/peer_support.h"

namespace sg {

DatasetKey dataset_key(const Dataset& data) {
  DatasetKey key;
  key.dataset = &data;
  key.records = data.records.size();
  if (!data.records.empty()) {
    key.first = data.records.front().get();
    key.last = data.records.back().get();
  }
  return key;
}

namespace {

constexpr int kSignificantDigits = 9;
constexpr double kRelativeTolerance = 1e-9;

double round_significant(double x) {
  if (!std::isfinite(x) || x == 0) return x == 0 ? 0.0 : x;  // -0.0 and 0.0 alike
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*e", kSignificantDigits - 1, x);
  return std::strtod(buf, nullptr);
}

// A value as our output column types it: a peer's integer in a FLOAT column (SQLite's AVG of
// whole numbers never is, but SUM over a REAL column of whole numbers can be), a 0/1 in a
// BOOLEAN column, a whole float in an INTEGER column.
Value as_our_type(const Value& v, Type ours) {
  if (v.is_null()) return v;
  switch (ours) {
    case Type::Float:
      return v.is_numeric() ? Value::floating(v.to_double()) : v;
    case Type::Integer:
    case Type::Timestamp:
      if (v.type() == Type::Float && std::trunc(v.as_float()) == v.as_float() &&
          std::fabs(v.as_float()) < 9.2e18) {
        return Value::integer(static_cast<int64_t>(v.as_float()));
      }
      if (v.type() == Type::Timestamp || v.type() == Type::Boolean)
        return Value::integer(v.type() == Type::Boolean ? v.as_bool() : v.as_int());
      return v;
    case Type::Boolean:
      if (v.type() == Type::Integer) return Value::boolean(v.as_int() != 0);
      return v;
    default:
      return v;
  }
}

using Row = std::vector<Value>;

Row comparable_row(std::span<const Value> values, const Schema& out) {
  Row row;
  row.reserve(values.size());
  for (size_t i = 0; i < values.size(); ++i) row.push_back(as_our_type(values[i], out[i].type));
  return row;
}

// Hash of a row as our output schema types it, floats rounded: equal for rows that the check
// calls equal (bar the rare rounding-boundary case the slow path handles).
uint64_t rounded_hash(std::span<const Value> values, const Schema& out) {
  uint64_t h = 0x243f6a8885a308d3ULL;
  for (size_t i = 0; i < values.size(); ++i) {
    Value v = as_our_type(values[i], out[i].type);
    if (v.type() == Type::Float) v = Value::floating(round_significant(v.as_float()));
    h = hash_combine(h, v.hash());
  }
  return h;
}

std::string describe(const Row& row) {
  std::string out = "[";
  for (size_t i = 0; i < row.size(); ++i) out += (i ? ", " : "") + row[i].to_string();
  return out + "]";
}

bool close_enough(const Value& a, const Value& b) {
  if (a.type() == Type::Float && b.type() == Type::Float) {
    const double x = a.as_float(), y = b.as_float();
    if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y);
    return x == y ||
           std::fabs(x - y) <= kRelativeTolerance * std::max({1.0, std::fabs(x), std::fabs(y)});
  }
  return compare(a, b) == 0 && a.type() == b.type();
}

// Exact columns first, floats last: rows that differ only by float noise sort side by side.
bool exact_first_less(const Row& a, const Row& b) {
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t i = 0; i < a.size(); ++i) {
      if ((a[i].type() == Type::Float) != (pass == 1)) continue;
      if (const int c = compare(a[i], b[i]); c != 0) return c < 0;
    }
  }
  return false;
}

// Our engine's output on the data, in the comparable form.
struct OurRows {
  Digest digest;                 // every output row, exactly as the runner's reference digests them
  std::vector<Row> rows;         // comparable rows (all, or the last per group), if kept
  std::vector<uint64_t> hashes;  // rounded_hash of each comparable row
  uint64_t late_records = 0;
};

// `keep_rows`: keep every comparable row, not just their hashes (the last rows per group are
// always kept, since a later row replaces them).
OurRows run_our_engine(const PeerTranslation& t, const CompiledQuery& query, const Dataset& data,
                       bool keep_rows) {
  OurRows ours;
  const Schema& out_schema = query.output_schema();
  const bool last_per_group = t.comparison == PeerComparison::FinalRowPerGroup;
  // Groups are told apart by the key hash our engine stamps on the row, and by the window (the
  // row's event time is its window's end - 1); aggregates without GROUP BY have one group.
  std::unordered_map<uint64_t, std::unordered_map<int64_t, size_t>> last_row;
  std::unique_ptr<Engine> engine = query.instantiate();
  Batch out;
  auto take = [&](Batch& batch) {
    for (const RecordPtr& r : batch) {
      ours.digest.add(*r);
      if (!last_per_group) {
        ours.hashes.push_back(rounded_hash(r->values_span(), out_schema));
        if (keep_rows) ours.rows.push_back(comparable_row(r->values_span(), out_schema));
        continue;
      }
      Row row = comparable_row(r->values_span(), out_schema);
      const uint64_t group = t.has_group_by ? r->key_hash() : 0;
      const int64_t window = t.tumbling ? r->event_time() : 0;
      auto [it, inserted] = last_row[group].try_emplace(window, ours.rows.size());
      if (inserted)
        ours.rows.push_back(std::move(row));
      else
        ours.rows[it->second] = std::move(row);
    }
    batch.clear();
  };
  constexpr size_t kChunk = 4096;
  const std::span<const RecordPtr> all(data.records);
  for (size_t begin = 0; begin < all.size(); begin += kChunk) {
    engine->process_batch(all.subspan(begin, std::min(kChunk, all.size() - begin)), out);
    take(out);
  }
  engine->finish(out);
  take(out);
  ours.late_records = engine->stats().late_records;
  if (last_per_group)
    for (const Row& row : ours.rows) ours.hashes.push_back(rounded_hash(row, out_schema));
  return ours;
}

// The comparable form of our rows, cached per (dataset, query): the exact digest, the sorted
// rounded hashes, and the late-record count. Rows themselves are recomputed only when a check
// needs to show or tolerate a difference.
struct OurSummary {
  DatasetKey key;
  std::string sql;
  Digest digest;
  std::vector<uint64_t> sorted_hashes;
  uint64_t late_records = 0;
};

class OurSummaryCache {
 public:
  const OurSummary& get(const std::string& scenario_sql, const PeerTranslation& t,
                        const CompiledQuery& query, const Dataset& data) {
    const DatasetKey key = dataset_key(data);
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->key == key && it->sql == scenario_sql) {
        entries_.splice(entries_.begin(), entries_, it);
        return entries_.front();
      }
    }
    size_t held = data.records.size();
    for (auto it = entries_.begin(); it != entries_.end();) {
      held += it->key.records;
      it = held > kPeerCacheRecords ? entries_.erase(it) : std::next(it);
    }
    OurRows ours = run_our_engine(t, query, data, false);
    OurSummary s;
    s.key = key;
    s.sql = scenario_sql;
    s.digest = ours.digest;
    s.late_records = ours.late_records;
    s.sorted_hashes = std::move(ours.hashes);
    std::sort(s.sorted_hashes.begin(), s.sorted_hashes.end());
    entries_.push_front(std::move(s));
    return entries_.front();
  }

 private:
  std::list<OurSummary> entries_;
};

// The slow path, after the rounded hashes disagreed: rows of each side that the other lacks,
// paired in exact-columns-first order and compared within the tolerance. Returns "" when every
// pair agrees, else the first difference. `tolerated` counts the rows matched only so.
std::string tolerant_difference(const std::string& peer, const Schema& out, std::vector<Row> ours,
                                std::vector<Row> theirs, size_t& tolerated) {
  std::unordered_map<uint64_t, int64_t> balance;
  for (const Row& r : ours) ++balance[rounded_hash(r, out)];
  for (const Row& r : theirs) --balance[rounded_hash(r, out)];
  auto unmatched = [&](std::vector<Row>& rows, int sign) {
    std::vector<Row> left;
    for (Row& r : rows) {
      int64_t& b = balance[rounded_hash(r, out)];
      if (b * sign > 0) {
        b -= sign;
        left.push_back(std::move(r));
      }
    }
    std::sort(left.begin(), left.end(), exact_first_less);
    return left;
  };
  const std::vector<Row> only_ours = unmatched(ours, 1);
  const std::vector<Row> only_theirs = unmatched(theirs, -1);
  if (only_ours.size() != only_theirs.size()) {
    std::string out =
        fmt::format("{} rows from {}, {} from streamgauge", theirs.size(), peer, ours.size());
    if (!only_ours.empty()) out += "; first row only streamgauge has: " + describe(only_ours[0]);
    if (!only_theirs.empty())
      out += fmt::format("; first row only {} has: {}", peer, describe(only_theirs[0]));
    return out;
  }
  for (size_t i = 0; i < only_ours.size(); ++i) {
    bool same = only_ours[i].size() == only_theirs[i].size();
    for (size_t c = 0; same && c < only_ours[i].size(); ++c)
      same = close_enough(only_ours[i][c], only_theirs[i][c]);
    if (!same) {
      return fmt::format("first differing row: streamgauge {}, {} {}", describe(only_ours[i]), peer,
                         describe(only_theirs[i]));
    }
  }
  tolerated = only_ours.size();
  return "";
}

void check_rows(const std::string& peer, const Scenario& scenario, const PeerTranslation& t,
                const CompiledQuery& query, const Dataset& data, const Digest& reference,
                const PeerRows& rows, PeerRun& run) {
  static std::mutex mutex;
  static OurSummaryCache cache;
  std::lock_guard lock(mutex);
  const Schema& out_schema = query.output_schema();
  if (rows.width != out_schema.size()) {
    run.status = PeerStatus::Failed;
    run.reason = fmt::format("{} peer: {} columns, streamgauge's output has {} ({})", peer,
                             rows.width, out_schema.size(), out_schema.to_string());
    return;
  }
  const OurSummary& ours = cache.get(scenario.sql, t, query, data);
  // The reference must describe this data, or agreeing with "ours" would prove nothing.
  if (!(ours.digest == reference)) {
    run.status = PeerStatus::Failed;
    run.reason = fmt::format(
        "{} peer: the reference digest ({}) is not streamgauge's output on this data ({}): "
        "the reference comes from other data or another query",
        peer, reference.to_string(), ours.digest.to_string());
    return;
  }
  const bool final_rows = t.comparison == PeerComparison::FinalRowPerGroup;
  const std::string against = final_rows ? "streamgauge's final row per group" +
                                               std::string(t.tumbling ? " and window" : "")
                                         : "streamgauge's output";
  const std::string note = t.note.empty() ? "" : " (" + t.note + ")";
  if (t.tumbling && ours.late_records > 0) {
    run.check = fmt::format(
        "not compared: streamgauge dropped {} late records, which a batch "
        "peer counts in their windows{}",
        ours.late_records, note);
    return;
  }
  if (final_rows && t.having) {
    run.check =
        "not compared: a continuous GROUP BY with HAVING has no final-row equivalent "
        "(a group's last emitted row may be one HAVING later rejects)" +
        note;
    return;
  }

  std::vector<uint64_t> theirs;
  theirs.reserve(rows.count());
  for (size_t r = 0; r < rows.count(); ++r) {
    theirs.push_back(
        rounded_hash(std::span(rows.values).subspan(r * rows.width, rows.width), out_schema));
  }
  std::sort(theirs.begin(), theirs.end());
  size_t tolerated = 0;
  if (theirs != ours.sorted_hashes) {
    // Rare: recompute our rows (untimed) to show the difference or tolerate float rounding.
    OurRows again = run_our_engine(t, query, data, true);
    std::vector<Row> peer_rows;
    for (size_t r = 0; r < rows.count(); ++r) {
      peer_rows.push_back(
          comparable_row(std::span(rows.values).subspan(r * rows.width, rows.width), out_schema));
    }
    const std::string diff = tolerant_difference(peer, out_schema, std::move(again.rows),
                                                 std::move(peer_rows), tolerated);
    if (!diff.empty()) {
      run.status = PeerStatus::Failed;
      run.reason = fmt::format("{} peer: rows differ from {}: {}{}", peer, against, diff, note);
      return;
    }
  }
  run.check = fmt::format(
      "rows equal to {}: {} rows, ok (floats to {} significant digits{}){}", against, rows.count(),
      kSignificantDigits,
      tolerated ? fmt::format(", {} only within {:g} relative", tolerated, kRelativeTolerance) : "",
      note);
}

}  // namespace

const std::vector<std::string>& peer_names() {
  static const std::vector<std::string> names = {"sqlite", "duckdb"};
  return names;
}

PeerRun run_peer(const std::string& peer, const Scenario& scenario, const CompiledQuery& query,
                 const Dataset& data, const Digest& reference) {
  PeerRun run;
  PeerDialect dialect;
  if (peer == "sqlite") {
    dialect = PeerDialect::Sqlite;
  } else if (peer == "duckdb") {
    dialect = PeerDialect::DuckDb;
  } else {
    run.status = PeerStatus::Unavailable;
    run.reason = fmt::format("unknown peer '{}' (known: {})", peer, fmt::join(peer_names(), ", "));
    return run;
  }
  PeerTranslation translation;
  try {
    translation = translate_for_peer(scenario.sql, query.input_schema(), dialect);
  } catch (const SqlError& e) {
    run.status = PeerStatus::Failed;
    run.reason = fmt::format("{} peer: the scenario's SQL does not parse: {}", peer, e.what());
    return run;
  }
  run.sql = translation.sql;
  PeerRows rows;
  const PeerJob job{translation, query, data};
  if (dialect == PeerDialect::Sqlite)
    run_sqlite_peer(job, run, rows);
  else
    run_duckdb_peer(job, run, rows);
  if (run.status != PeerStatus::Ok) return run;
  run.rows = rows.count();
  check_rows(peer, scenario, translation, query, data, reference, rows, run);
  return run;
}

}  // namespace sg
