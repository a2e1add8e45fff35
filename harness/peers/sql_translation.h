// Scenario SQL (the streamgauge dialect) -> standard SQL that a batch engine (SQLite, DuckDB)
// runs over the whole dataset at once. Built from the parsed AST, never by editing the text, and
// printed by the engine's printer in the peers' dialect (ast::SqlDialect, sql_translation.cpp).
//
//   filters, projections, GROUP BY, HAVING   as written
//   WINDOW TUMBLING (col, INTERVAL ...)      the bucket `col - (col % size_ms)` added to GROUP BY
//                                            (times are integer ms; assumes non-negative times)
//   TUMBLING(1m)                             the same bucket over the record's event time, a
//                                            column the peer loads next to the data
//   OVER (ROWS WINDOW BUFFER n ROWS ...)     OVER (PARTITION BY .. ORDER BY <seq>
//                                            ROWS BETWEEN n-1 PRECEDING AND CURRENT ROW), <seq>
//                                            the arrival order (the record's offset), loaded
//                                            next to the data: our engine frames rows in
//                                            arrival order whatever ORDER BY says
//   SELECT *                                 the input schema's columns (not the loaded extras)
//   EMIT CHANGES / continuous GROUP BY       same work (the default mode): every aggregate a
//                                            window function over the arrival order,
//                                            `OVER (PARTITION BY keys[, bucket] ORDER BY <seq>
//                                            ROWS UNBOUNDED PRECEDING)`, HAVING a filter on its
//                                            rows, ORDER BY <seq>: one row per input, as ours
//                                            (continuous_translation.cpp). Final-rows mode drops
//                                            EMIT instead: each group's final row, less work.
#pragma once

#include <string>
#include <string_view>

#include "engine/schema.h"

namespace sg {

enum class PeerDialect { Sqlite, DuckDb };

// The columns a peer loads next to the input schema's: names that the schema does not use.
struct PeerExtraColumns {
  std::string seq = "sg_seq";                // RecordMeta::offset, the arrival order
  std::string event_time = "sg_event_time";  // RecordMeta::event_time, ms
};
PeerExtraColumns peer_extra_columns(const Schema& input);

// How much of our work a peer does on a continuous query (continuous GROUP BY, EMIT CHANGES).
// Other queries are the same work in either form.
enum class PeerMode {
  SameWork,   // one row per input, ours row for row: the default
  FinalRows,  // each group's (and window's) final row only: less work, labelled so
};
const char* peer_mode_name(PeerMode mode);  // "same-work", "final-rows"

// What a batch peer's rows can be compared with.
enum class PeerComparison {
  AllRows,           // our whole output, as a multiset (filters, ROWS windows, EMIT FINAL)
  EveryRowInOrder,   // our whole output, row for row in order: continuous outputs, same work
  FinalRowPerGroup,  // our last output row per group (and window): continuous, final rows
};

struct PeerTranslation {
  std::string sql;
  PeerMode mode = PeerMode::SameWork;
  PeerComparison comparison = PeerComparison::AllRows;
  bool continuous = false;  // a continuous GROUP BY or EMIT CHANGES: one output row per input
  bool has_group_by = false;
  bool aggregates = false;  // GROUP BY or an aggregate call (one global group)
  bool tumbling = false;    // a tumbling window: groups are per window
  bool having = false;
  bool rows_window = false;  // an OVER clause
  // Why the peer's semantics differ from the scenario's, for PeerRun::check ("" when they don't).
  std::string note;
  // Why this mode cannot run the query faithfully ("" when it can): the peer is then unavailable
  // for it rather than computing something else.
  std::string unavailable;
};

// Throws SqlError (line:column) when `scenario_sql` does not parse; the names in it are not
// checked here (CompiledQuery::compile does that).
PeerTranslation translate_for_peer(std::string_view scenario_sql, const Schema& input,
                                   PeerDialect dialect, PeerMode mode = PeerMode::SameWork);

// An identifier as the peers read it: bare when it is a plain word that is not an SQL keyword,
// else in double quotes.
std::string peer_identifier(std::string_view name);

}  // namespace sg
