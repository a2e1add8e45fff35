// run_peer(): translate the scenario's SQL, let the peer run it (sqlite_peer.cpp,
// duckdb_peer.cpp), then check the peer's rows against our engine's, in the form the two are
// comparable in (values compared as row_comparison.h says):
//
//   filters, projections, ROWS windows,     the multiset of all our output rows
//   EMIT FINAL GROUP BY, tumbling FINAL
//   continuous GROUP BY, EMIT CHANGES       all our output rows, row for row in order
//   the same in final-rows mode (-final)    the last output row of each group (and window)
//
// Our side is computed once per dataset, query and comparison (untimed, cached), never per pass.
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
#include "harness/peers/row_comparison.h"

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

// Runs our engine (direct, one thread) over the data, calling `take(record)` on each output row
// in the order it emits them. Returns the records the engine dropped as late.
template <typename F>
uint64_t for_each_our_row(const CompiledQuery& query, const Dataset& data, F&& take) {
  std::unique_ptr<Engine> engine = query.instantiate();
  Batch out;
  auto drain = [&] {
    for (const RecordPtr& r : out) take(*r);
    out.clear();
  };
  constexpr size_t kChunk = 4096;
  const std::span<const RecordPtr> all(data.records);
  for (size_t begin = 0; begin < all.size(); begin += kChunk) {
    engine->process_batch(all.subspan(begin, std::min(kChunk, all.size() - begin)), out);
    drain();
  }
  engine->finish(out);
  drain();
  return engine->stats().late_records;
}

// Our engine's output on the data, in the comparable form.
struct OurRows {
  Digest digest;                 // every output row, exactly as the runner's reference digests them
  std::vector<PeerRow> rows;     // comparable rows (all, or the last per group), if kept
  std::vector<uint64_t> hashes;  // rounded_hash of each comparable row, in output order
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
  ours.late_records = for_each_our_row(query, data, [&](const Record& r) {
    ours.digest.add(r);
    if (!last_per_group) {
      ours.hashes.push_back(rounded_hash(r.values_span(), out_schema));
      if (keep_rows) ours.rows.push_back(comparable_row(r.values_span(), out_schema));
      return;
    }
    PeerRow row = comparable_row(r.values_span(), out_schema);
    const uint64_t group = t.has_group_by ? r.key_hash() : 0;
    const int64_t window = t.tumbling ? r.event_time() : 0;
    auto [it, inserted] = last_row[group].try_emplace(window, ours.rows.size());
    if (inserted)
      ours.rows.push_back(std::move(row));
    else
      ours.rows[it->second] = std::move(row);
  });
  if (last_per_group)
    for (const PeerRow& row : ours.rows) ours.hashes.push_back(rounded_hash(row, out_schema));
  return ours;
}

// The comparable form of our rows, cached per (dataset, query, comparison): the exact digest,
// the rounded hashes (sorted, or in output order for a row-for-row comparison), and the
// late-record count. Rows themselves are recomputed only when a check needs to show or tolerate
// a difference.
struct OurSummary {
  DatasetKey key;
  std::string sql;
  PeerComparison comparison = PeerComparison::AllRows;
  Digest digest;
  std::vector<uint64_t> hashes;
  uint64_t late_records = 0;
};

class OurSummaryCache {
 public:
  const OurSummary& get(const std::string& scenario_sql, const PeerTranslation& t,
                        const CompiledQuery& query, const Dataset& data) {
    const DatasetKey key = dataset_key(data);
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->key == key && it->sql == scenario_sql && it->comparison == t.comparison) {
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
    s.comparison = t.comparison;
    s.digest = ours.digest;
    s.late_records = ours.late_records;
    s.hashes = std::move(ours.hashes);
    if (t.comparison != PeerComparison::EveryRowInOrder)
      std::sort(s.hashes.begin(), s.hashes.end());
    entries_.push_front(std::move(s));
    return entries_.front();
  }

 private:
  std::list<OurSummary> entries_;
};

std::span<const Value> peer_row(const PeerRows& rows, size_t r) {
  return std::span(rows.values).subspan(r * rows.width, rows.width);
}

// The slow path, after the rounded hashes disagreed: rows of each side that the other lacks,
// paired in exact-columns-first order and compared within the tolerance. Returns "" when every
// pair agrees, else the first difference. `tolerated` counts the rows matched only so.
std::string tolerant_difference(const std::string& peer, const Schema& out,
                                std::vector<PeerRow> ours, std::vector<PeerRow> theirs,
                                size_t& tolerated) {
  std::unordered_map<uint64_t, int64_t> balance;
  for (const PeerRow& r : ours) ++balance[rounded_hash(r, out)];
  for (const PeerRow& r : theirs) --balance[rounded_hash(r, out)];
  auto unmatched = [&](std::vector<PeerRow>& rows, int sign) {
    std::vector<PeerRow> left;
    for (PeerRow& r : rows) {
      int64_t& b = balance[rounded_hash(r, out)];
      if (b * sign > 0) {
        b -= sign;
        left.push_back(std::move(r));
      }
    }
    std::sort(left.begin(), left.end(), exact_first_less);
    return left;
  };
  const std::vector<PeerRow> only_ours = unmatched(ours, 1);
  const std::vector<PeerRow> only_theirs = unmatched(theirs, -1);
  if (only_ours.size() != only_theirs.size()) {
    std::string text =
        fmt::format("{} rows from {}, {} from streamgauge", theirs.size(), peer, ours.size());
    if (!only_ours.empty()) text += "; first row only streamgauge has: " + describe(only_ours[0]);
    if (!only_theirs.empty())
      text += fmt::format("; first row only {} has: {}", peer, describe(only_theirs[0]));
    return text;
  }
  for (size_t i = 0; i < only_ours.size(); ++i) {
    if (!rows_close(only_ours[i], only_theirs[i])) {
      return fmt::format("first differing row: streamgauge {}, {} {}", describe(only_ours[i]), peer,
                         describe(only_theirs[i]));
    }
  }
  tolerated = only_ours.size();
  return "";
}

// The slow path of the row-for-row comparison: our output again (untimed), row i against the
// peer's row i wherever their rounded hashes differ. Returns "" when every such pair agrees
// within the tolerance, else the first differing position; `tolerated` counts the rows matched
// only within it.
std::string ordered_difference(const std::string& peer, const CompiledQuery& query,
                               const Dataset& data, const PeerRows& rows,
                               const std::vector<uint64_t>& theirs, size_t& tolerated) {
  const Schema& out = query.output_schema();
  size_t ours = 0;
  std::string first;
  for_each_our_row(query, data, [&](const Record& r) {
    const size_t at = ours++;
    if (!first.empty() || at >= rows.count()) return;
    if (rounded_hash(r.values_span(), out) == theirs[at]) return;
    const PeerRow mine = comparable_row(r.values_span(), out);
    const PeerRow their = comparable_row(peer_row(rows, at), out);
    if (rows_close(mine, their)) {
      ++tolerated;
      return;
    }
    first = fmt::format("output row {} differs: streamgauge {}, {} {}", at + 1, describe(mine),
                        peer, describe(their));
  });
  if (first.empty() && ours < rows.count()) {
    first = fmt::format("output row {} is {}'s only: {}", ours + 1, peer,
                        describe(comparable_row(peer_row(rows, ours), out)));
  } else if (first.empty() && ours > rows.count()) {
    first = fmt::format("output row {} is missing from {}'s rows", rows.count() + 1, peer);
  }
  if (ours != rows.count())
    return fmt::format("{} rows from {}, {} from streamgauge; {}", rows.count(), peer, ours, first);
  return first;
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
  const bool in_order = t.comparison == PeerComparison::EveryRowInOrder;
  const std::string against = final_rows ? "streamgauge's final row per group" +
                                               std::string(t.tumbling ? " and window" : "")
                              : in_order ? "streamgauge's output row for row, in order"
                                         : "streamgauge's output";
  const std::string note = t.note.empty() ? "" : " (" + t.note + ")";
  if (t.tumbling && ours.late_records > 0) {
    if (in_order) {
      run.status = PeerStatus::Unavailable;
      run.reason = fmt::format(
          "Unavailable: {} peer: streamgauge dropped {} late records, which the window-function "
          "translation "
          "does not model (it assumes no record arrives after its window closed)",
          peer, ours.late_records);
      return;
    }
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
  for (size_t r = 0; r < rows.count(); ++r)
    theirs.push_back(rounded_hash(peer_row(rows, r), out_schema));
  if (!in_order) std::sort(theirs.begin(), theirs.end());
  size_t tolerated = 0;
  if (theirs != ours.hashes) {
    // Rare: recompute our rows (untimed) to show the difference or tolerate float rounding.
    std::string diff;
    if (in_order) {
      diff = ordered_difference(peer, query, data, rows, theirs, tolerated);
    } else {
      OurRows again = run_our_engine(t, query, data, true);
      std::vector<PeerRow> peer_rows;
      for (size_t r = 0; r < rows.count(); ++r)
        peer_rows.push_back(comparable_row(peer_row(rows, r), out_schema));
      diff = tolerant_difference(peer, out_schema, std::move(again.rows), std::move(peer_rows),
                                 tolerated);
    }
    if (!diff.empty()) {
      run.status = PeerStatus::Failed;
      run.reason = fmt::format("{} peer: rows differ from {}: {}{}", peer, against, diff, note);
      return;
    }
  }
  run.check = fmt::format(
      "rows equal to {}: {} rows, ok (floats to {} significant digits{}){}", against, rows.count(),
      kPeerSignificantDigits,
      tolerated ? fmt::format(", {} only within {:g} relative", tolerated, kPeerRelativeTolerance)
                : "",
      note);
}

}  // namespace

const std::vector<std::string>& peer_names() {
  static const std::vector<std::string> names = {"sqlite", "duckdb", "sqlite-final",
                                                 "duckdb-final"};
  return names;
}

PeerRun run_peer(const std::string& peer, const Scenario& scenario, const CompiledQuery& query,
                 const Dataset& data, const Digest& reference) {
  PeerRun run;
  constexpr std::string_view kFinalSuffix = "-final";
  const bool final_mode = peer.size() > kFinalSuffix.size() && peer.ends_with(kFinalSuffix);
  const std::string engine = final_mode ? peer.substr(0, peer.size() - kFinalSuffix.size()) : peer;
  const PeerMode mode = final_mode ? PeerMode::FinalRows : PeerMode::SameWork;
  run.mode = peer_mode_name(mode);
  PeerDialect dialect;
  if (engine == "sqlite") {
    dialect = PeerDialect::Sqlite;
  } else if (engine == "duckdb") {
    dialect = PeerDialect::DuckDb;
  } else {
    run.status = PeerStatus::Unavailable;
    run.reason = fmt::format("unknown peer '{}' (known: {})", peer, fmt::join(peer_names(), ", "));
    return run;
  }
  PeerTranslation translation;
  try {
    translation = translate_for_peer(scenario.sql, query.input_schema(), dialect, mode);
  } catch (const SqlError& e) {
    run.status = PeerStatus::Failed;
    run.reason = fmt::format("{} peer: the scenario's SQL does not parse: {}", peer, e.what());
    return run;
  }
  if (!translation.unavailable.empty()) {
    run.status = PeerStatus::Unavailable;
    run.reason = fmt::format("Unavailable: {} peer: {}", peer, translation.unavailable);
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
  if (run.status == PeerStatus::Ok && mode == PeerMode::FinalRows) {
    run.work =
        fmt::format("less work: final rows only ({} rows vs {})", run.rows, reference.count());
    run.check = run.work + "; " + run.check;
  }
  return run;
}

}  // namespace sg
