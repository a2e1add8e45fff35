#include "harness/io/jsonl_writer.h"

#include <cmath>

#include "harness/io/text_values.h"
#include "harness/io/utf8.h"

namespace sg {

void append_json_string(std::string& out, std::string_view s) {
  static const char* const kHex = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += kHex[(c >> 4) & 0xf];
          out += kHex[c & 0xf];
        } else if (static_cast<unsigned char>(c) < 0x80) {
          out += c;
        } else {  // valid UTF-8 as it is, the rest as U+FFFD (utf8.h)
          const Utf8Step step = utf8_step(s, i);
          if (step.valid) {
            out.append(s.data() + i, step.length);
          } else {
            out += kReplacementCharacter;
          }
          i += step.length - 1;
        }
    }
  }
  out += '"';
}

JsonlWriter::JsonlWriter(Schema schema, std::string path)
    : TextWriter(std::move(schema), std::move(path)) {
  prepare_keys();
}

JsonlWriter::JsonlWriter(Schema schema, std::ostream& stream, std::string name)
    : TextWriter(std::move(schema), stream, std::move(name)) {
  prepare_keys();
}

void JsonlWriter::prepare_keys() {
  for (size_t k = 0; k < schema().size(); ++k) {
    std::string key = k == 0 ? "{" : ",";
    append_json_string(key, schema()[k].name);
    key += ':';
    keys_.push_back(std::move(key));
  }
}

void JsonlWriter::append_row(const Record& row, std::string& text) {
  if (row.size() == 0) text += '{';
  for (size_t k = 0; k < row.size(); ++k) {
    text += keys_[k];
    const Value& v = row[k];
    switch (v.type()) {
      case Type::Null:
        text += "null";
        break;
      case Type::String:
        append_json_string(text, v.as_string());
        break;
      case Type::Float:
        if (std::isfinite(v.as_float())) {
          append_double(text, v.as_float());
        } else {  // JSON has no such numbers: strings the reader takes back (text_values.h)
          const double f = v.as_float();
          text += std::isnan(f) ? "\"NaN\"" : (f > 0 ? "\"Infinity\"" : "\"-Infinity\"");
        }
        break;
      default:
        append_value_text(text, v);
        break;
    }
  }
  text += "}\n";
}

}  // namespace sg
