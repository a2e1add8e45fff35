// Writes rows as JSON Lines: one object per row, keyed by the schema's names in schema order.
//
// Values keep their types: integers and timestamps (milliseconds) as JSON integers, floats in
// the shortest form that reads back as the same double (NaN and infinities, which JSON cannot
// hold, as the strings "NaN", "Infinity", "-Infinity", which the reader takes back), booleans,
// strings escaped, NULL as null.
//
// Output goes to a temporary file published by close() (see harness/io/text_writer.h), or to a
// stream such as std::cout.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "harness/io/text_writer.h"

namespace sg {

class JsonlWriter : public TextWriter {
 public:
  JsonlWriter(Schema schema, std::string path);
  JsonlWriter(Schema schema, std::ostream& stream, std::string name = "<stdout>");

 protected:
  void append_row(const Record& row, std::string& text) override;

 private:
  void prepare_keys();
  std::vector<std::string> keys_;  // '{"name":' and ',"name":', escaped once up front
};

// Appends `s` as a JSON string literal (quotes included).
void append_json_string(std::string& out, std::string_view s);

}  // namespace sg
