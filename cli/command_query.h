// streamgauge query: runs one SQL query over a CSV or JSONL file with a single engine instance
// and prints the result rows as JSON lines, in the order the engine emits them.
//
//   streamgauge query --sql "SELECT ..." --input trades.csv [--schema "ts:timestamp,..."]
//                     [--format csv|jsonl] [--output out.jsonl|out.csv] [--on-error fail|skip]
//                     [--event-time COLUMN] [--batch-size N]
//
// Exit status: 0 done; 1 bad options or an output/engine failure; 2 the query does not compile
// (printed as "error: LINE:COL: message", the query line and a caret under the column); 3 the
// input cannot be read (missing file, malformed row under --on-error fail: "FILE:LINE: field
// 'NAME' ..."). Stderr ends with a one-line summary: rows in, rows out, late records dropped,
// rows skipped (and the first skip messages).
#pragma once

#include <cstddef>
#include <ostream>
#include <string>

namespace sg {

struct QueryOptions {
  std::string sql;
  std::string input;
  std::string schema;  // "name:type,..." (types by name; others inferred), or empty
  std::string format;  // "csv", "jsonl", or empty: from the input's extension
  std::string output;  // empty: JSON lines on `out`; else a .jsonl/.json/.ndjson/.csv file
  std::string on_error = "fail";  // "fail" or "skip"
  std::string event_time;         // event-time column; empty: the first TIMESTAMP column, if any
  size_t batch_size = 1024;       // records per read/process step
};

// Runs the command; never throws. Result rows go to `out` (unless --output), messages and the
// summary to `err`. Returns the exit status described above.
int run_query_command(const QueryOptions& options, std::ostream& out, std::ostream& err);

}  // namespace sg
