#include "harness/io/csv_writer.h"

#include "harness/io/text_values.h"
#include "harness/io/utf8.h"

namespace sg {

void append_csv_field(std::string& out, std::string_view field, bool always_quote) {
  if (!is_valid_utf8(field)) {  // the writers' one rule (utf8.h): U+FFFD for what is not UTF-8
    std::string valid;
    append_replacing_invalid_utf8(valid, field);
    append_csv_field(out, valid, always_quote);
    return;
  }
  if (!always_quote && field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += field;
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

CsvWriter::CsvWriter(Schema schema, std::string path)
    : TextWriter(std::move(schema), std::move(path)) {
  append_header();
}

CsvWriter::CsvWriter(Schema schema, std::ostream& stream, std::string name)
    : TextWriter(std::move(schema), stream, std::move(name)) {
  append_header();
}

void CsvWriter::append_header() {
  std::string& text = buffer();
  for (size_t k = 0; k < schema().size(); ++k) {
    if (k) text += ',';
    append_csv_field(text, schema()[k].name);
  }
  text += '\n';
}

void CsvWriter::append_row(const Record& row, std::string& text) {
  for (size_t k = 0; k < row.size(); ++k) {
    if (k) text += ',';
    const Value& v = row[k];
    if (v.type() == Type::String) {
      // Quoting the empty string keeps it apart from NULL (an unquoted empty field).
      append_csv_field(text, v.as_string(), v.as_string().empty());
    } else {
      append_value_text(text, v);
    }
  }
  text += '\n';
}

}  // namespace sg
