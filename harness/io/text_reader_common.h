// What the CSV and JSONL readers share: their options, the chunked file buffer that keeps their
// memory bounded whatever the file size, the skip policy for bad rows, and the event-time column.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/schema.h"
#include "harness/job/data_reader.h"

namespace sg {

// What a reader does with a row it cannot read (wrong field count, a value of the wrong type,
// broken quoting or JSON): stop the job with a SourceError, or skip the row and count it.
enum class OnError { Fail, Skip };
// "fail" or "skip"; false for anything else.
bool parse_on_error(std::string_view text, OnError& out);

struct TextReaderOptions {
  // Types by column name (case-insensitive). Columns it does not name are inferred from the
  // first `infer_rows` rows; every column it names must exist (CSV: in the header).
  std::optional<Schema> schema;
  // The column RecordMeta::event_time comes from (TIMESTAMP or INTEGER milliseconds). Empty:
  // the first TIMESTAMP column if there is one (only a schema can make one), else event_time 0.
  std::string event_time_column;
  OnError on_error = OnError::Fail;
  size_t buffer_bytes = 64 * 1024;  // the read size; the buffer is at most twice this for rows
                                    // shorter than it
  size_t infer_rows = 1000;         // rows looked at (and held) to infer types
  size_t kept_skip_messages = 5;    // the first skip messages kept for the CLI to print
};

// A file read in chunks into one buffer. The unconsumed bytes are a window at the front of the
// buffer; fill() moves them to the start and reads behind them. A row longer than the buffer
// makes the buffer grow to hold it (doubling, so re-scanning a long row stays linear overall).
class ChunkedInput {
 public:
  ChunkedInput(std::string path, size_t chunk_bytes);  // throws SourceError naming the file
  ~ChunkedInput();
  ChunkedInput(const ChunkedInput&) = delete;
  ChunkedInput& operator=(const ChunkedInput&) = delete;

  std::string_view window() const { return {buffer_.data() + begin_, end_ - begin_}; }
  void consume(size_t n);
  // Reads more bytes behind the window. Returns false (and sets at_eof()) when the file has no
  // more. Throws SourceError on a read error.
  bool fill();
  bool at_eof() const { return eof_; }
  const std::string& path() const { return path_; }
  // The largest the buffer has been, in bytes: what a test checks to see memory stays bounded.
  size_t peak_buffer_bytes() const { return peak_; }

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  size_t chunk_;
  std::vector<char> buffer_;
  size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
  size_t peak_ = 0;
};

// Counts skipped rows and keeps the first few messages; with OnError::Fail it throws instead.
class BadRowPolicy {
 public:
  BadRowPolicy(OnError on_error, size_t kept_messages)
      : on_error_(on_error), kept_messages_(kept_messages) {}
  // Throws SourceError(message) under Fail; counts the row and returns under Skip.
  void bad_row(const std::string& message);
  uint64_t rows_skipped() const { return skipped_; }
  const std::vector<std::string>& messages() const { return messages_; }

 private:
  OnError on_error_;
  size_t kept_messages_;
  uint64_t skipped_ = 0;
  std::vector<std::string> messages_;
};

// The line each record of the last read() starts on, so that an engine error naming a record by
// RecordMeta::offset can point into the file (the query command).
class RecordLines {
 public:
  void clear() { lines_.clear(); }
  void add(int64_t offset, int64_t line) {
    if (lines_.empty()) first_ = offset;
    lines_.push_back(line);
  }
  // The line of record `offset`, if it was in the last read().
  std::optional<int64_t> line_of(int64_t offset) const {
    if (offset < first_ || offset - first_ >= static_cast<int64_t>(lines_.size())) return {};
    return lines_[static_cast<size_t>(offset - first_)];
  }

 private:
  int64_t first_ = 0;
  std::vector<int64_t> lines_;
};

// Resolves TextReaderOptions::event_time_column against the final schema: the column's index,
// or -1 for "event_time = 0". Throws SourceError (prefixed with `path`) for an unknown column or
// one that is not TIMESTAMP/INTEGER.
int resolve_event_time_column(const std::string& path, const Schema& schema,
                              const std::string& column);

// A value as quoted in an error message: at most `max` bytes, then "...".
std::string excerpt(std::string_view text, size_t max = 40);

}  // namespace sg
