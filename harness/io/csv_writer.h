// Writes rows as CSV (RFC 4180): a header of the schema's names, then one line per row.
//
// Text round-trips through CsvReader: NULL is an empty field, the empty string is "" (quoted),
// a field holding ',', '"', CR or LF is quoted with its quotes doubled, floats are written in the
// shortest form that reads back as the same double (always with a '.' or exponent, so they read
// back as FLOAT), timestamps as integer milliseconds.
//
// Output goes to a temporary file published by close() (see harness/io/text_writer.h), or to a
// stream.
#pragma once

#include <ostream>
#include <string>

#include "harness/io/text_writer.h"

namespace sg {

class CsvWriter : public TextWriter {
 public:
  CsvWriter(Schema schema, std::string path);
  CsvWriter(Schema schema, std::ostream& stream, std::string name = "<stdout>");

 protected:
  void append_row(const Record& row, std::string& text) override;

 private:
  void append_header();
};

// Appends `field` to `out`, quoted if it must be (or if `always_quote`).
void append_csv_field(std::string& out, std::string_view field, bool always_quote = false);

}  // namespace sg
