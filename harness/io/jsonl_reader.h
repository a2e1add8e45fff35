// Reads JSON Lines (one JSON object per line) as a stream of records, a chunk at a time: memory is
// one buffer plus the batch asked for, whatever the file size. Blank lines are ignored.
//
// Columns are looked up by key; a missing key or null is NULL, and keys that are not columns are
// ignored. The columns are the fields of TextReaderOptions::schema (in its order) followed by the
// other keys met in the first `infer_rows` objects (in first-seen order, held until read). The
// type of a column the schema does not give is inferred from those objects: INTEGER if every
// value is an integer, FLOAT if every one is a number, BOOLEAN, else STRING.
// TIMESTAMP (integer ms or an ISO-8601 string) only comes from a schema.
//
// A line that is not valid JSON, not an object, or holds a value of the wrong type for its column
// (a string for INTEGER, an array anywhere) is an error "FILE:LINE: field 'NAME': expected
// INTEGER, found "abc"" (a SourceError), or a skipped row under OnError::Skip.
#pragma once

#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/schema.h"
#include "harness/io/text_reader_common.h"
#include "harness/job/data_reader.h"

namespace sg {

class JsonlReader : public DataReader {
 public:
  // Opens the file and reads the objects needed for the column list and inference, so that
  // schema() is known before the first read(). Throws SourceError for a missing file or a bad
  // event-time column.
  explicit JsonlReader(std::string path, TextReaderOptions options = {});
  ~JsonlReader() override;

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
  const std::vector<std::string>& skip_messages() const { return bad_rows_.messages(); }
  size_t peak_buffer_bytes() const { return input_.peak_buffer_bytes(); }
  int event_time_column() const { return event_time_column_; }

 private:
  // One non-blank line: its object, or why it is not one.
  struct Line {
    int64_t number = 0;
    nlohmann::ordered_json object;  // ordered: columns follow the file's key order
    std::string error;              // non-empty: the line is not a JSON object
  };
  // Reads the next non-blank line; false at the end of the file.
  bool next_line(Line& line);
  void build_schema();
  bool convert(const Line& line, Batch& out);

  std::string path_;
  TextReaderOptions options_;
  ChunkedInput input_;
  Schema schema_;
  std::vector<std::string> keys_;  // the key each column is read from, as spelled in the file
  std::unordered_map<std::string, size_t> column_of_key_;  // keys_ -> column
  std::vector<const nlohmann::ordered_json*> row_values_;  // convert()'s value per column
  BadRowPolicy bad_rows_;
  std::deque<Line> held_;  // lines read for inference, returned before reading on
  int64_t line_number_ = 0;
  int event_time_column_ = -1;
  bool ended_ = false;
  RecordLines record_lines_;
  uint64_t read_ = 0;
  uint64_t committed_ = 0;
};

}  // namespace sg
