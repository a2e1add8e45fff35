// Splits a CSV file into rows of text fields (RFC 4180), a chunk at a time. Knows nothing of
// types or names: CsvReader turns the fields into values.
//
// The dialect: fields separated by ',', rows by "\n" or "\r\n" (a lone "\r" too). A field that
// starts with '"' is quoted: it ends at the next lone '"', may hold ',', '"' (written '""') and
// newlines, and must be followed by ',' or the end of the row. A '"' anywhere in an unquoted
// field is an error (it is almost always a field that was meant to be quoted). Empty lines are
// skipped. A UTF-8 byte-order mark at the start of the file is ignored.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/io/text_reader_common.h"

namespace sg {

struct CsvRow {
  // Reused from row to row (the strings keep their capacity); only the first `size` count.
  std::vector<std::string> fields;
  std::vector<uint8_t> quoted;  // 1 where the field was quoted: "" is an empty string, not NULL
  size_t size = 0;
  int64_t line = 0;  // the line the row starts on, 1-based
};

struct CsvSyntaxError {
  int64_t line = 0;   // where the problem is (for an unterminated quote: where it opened)
  size_t column = 0;  // 0-based field index
  std::string what;
};

class CsvScanner {
 public:
  enum class Result { Row, Malformed, End };

  explicit CsvScanner(ChunkedInput& input) : input_(input) {}
  // Reads the next row into `row`, or describes why it is malformed (the rest of its line is
  // then skipped, so that scanning can go on after it), or says the file has ended.
  Result next(CsvRow& row, CsvSyntaxError& error);

 private:
  enum class Scan { Row, Malformed, NeedMore };
  Scan scan(std::string_view w, bool at_eof, CsvRow& row, CsvSyntaxError& error, size_t& used,
            int64_t& lines);
  // After an error at `pos`: where the rest of that line ends, or npos if not yet in the window.
  static size_t end_of_line(std::string_view w, size_t pos, bool at_eof);

  ChunkedInput& input_;
  int64_t line_ = 1;  // the line the next row starts on
  bool started_ = false;
};

}  // namespace sg
