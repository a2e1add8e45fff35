// Reads a CSV file (harness/io/csv_scanner.h gives the dialect) as a stream of records, a chunk at a
// time: memory is one buffer plus the batch asked for, whatever the file size.
//
// The header row gives the column names. Types come from TextReaderOptions::schema by name, and
// the columns it does not name are inferred from the first `infer_rows` data rows (held until
// read): INTEGER if every non-empty value is an int64, FLOAT if every one is a number, BOOLEAN
// for true/false, else STRING. TIMESTAMP (integer ms or ISO-8601) only comes from a schema.
// An empty field is NULL; a quoted empty field ("") is an empty STRING (NULL for other types).
//
// A row with the wrong number of fields, a value that does not parse as its column's type, or
// broken quoting is an error "FILE:LINE: field 'NAME' (column K): expected INTEGER, found 'abc'"
// (a SourceError), or, with OnError::Skip, a skipped row that rows_skipped() counts.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "engine/schema.h"
#include "harness/io/csv_scanner.h"
#include "harness/io/text_reader_common.h"
#include "harness/job/data_reader.h"

namespace sg {

class CsvReader : public DataReader {
 public:
  // Opens the file and reads the header (and the rows needed for inference), so that schema()
  // is known before the first read(). Throws SourceError for a missing file, an empty or bad
  // header, a schema column that is not in the header, or a bad event-time column.
  explicit CsvReader(std::string path, TextReaderOptions options = {});
  ~CsvReader() override;

  const Schema& schema() const { return schema_; }
  ReadResult read(size_t max, Batch& out) override;
  void commit() override { committed_ = read_; }
  uint64_t records_read() const override { return read_; }
  uint64_t records_committed() const override { return committed_; }

  uint64_t rows_skipped() const { return bad_rows_.rows_skipped(); }
  // The line record `offset` (RecordMeta::offset) starts on, if it came in the last read().
  std::optional<int64_t> line_of_record(int64_t offset) const {
    return record_lines_.line_of(offset);
  }
  // The first TextReaderOptions::kept_skip_messages messages of skipped rows.
  const std::vector<std::string>& skip_messages() const { return bad_rows_.messages(); }
  // The most bytes the input buffer has held (rows held for inference not included).
  size_t peak_buffer_bytes() const { return input_.peak_buffer_bytes(); }
  // The event-time column's index, or -1 when event_time is 0.
  int event_time_column() const { return event_time_column_; }

 private:
  // A row scanned ahead of reading (for inference), or why it was malformed.
  struct Scanned {
    CsvScanner::Result result;
    CsvRow row;
    CsvSyntaxError error;
  };
  void read_header();
  void infer_types(std::vector<Type>& types, const std::vector<bool>& known);
  // Converts the row into a record; false (after the skip policy) for a bad row.
  bool convert(const CsvRow& row, Batch& out);
  void report_syntax_error(const CsvSyntaxError& error);
  std::string field_prefix(int64_t line, size_t column) const;

  std::string path_;
  TextReaderOptions options_;
  ChunkedInput input_;
  CsvScanner scanner_;
  Schema schema_;
  BadRowPolicy bad_rows_;
  std::deque<Scanned> held_;  // rows scanned for inference, returned before scanning on
  CsvRow row_;                // reused for every row scanned while reading
  CsvSyntaxError error_;
  int event_time_column_ = -1;
  bool ended_ = false;
  RecordLines record_lines_;
  uint64_t read_ = 0;
  uint64_t committed_ = 0;
};

}  // namespace sg
