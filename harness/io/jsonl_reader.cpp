#include "harness/io/jsonl_reader.h"

#include <fmt/format.h>

#include "harness/io/text_values.h"
#include "harness/job/json_depth.h"

namespace sg {

namespace {

bool is_blank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

// nlohmann's message without its "[json.exception.parse_error.101] parse error at line 1, "
// preamble: the line is always 1 (we parse one line at a time) and we print our own.
std::string parse_message(const nlohmann::ordered_json::exception& e) {
  std::string m = e.what();
  size_t bracket = m.find("] ");
  if (bracket != std::string::npos) m = m.substr(bracket + 2);
  const std::string preamble = "parse error at line 1, ";
  if (m.rfind(preamble, 0) == 0) m = m.substr(preamble.size());
  return m;
}

// What the first rows say about a column's type; see TypeInference for the CSV equivalent.
// A JSON string "Infinity", "-Infinity" or "NaN" (what the writer prints for non-finite floats).
bool json_non_finite(const nlohmann::ordered_json& v, double& out) {
  return v.is_string() && parse_non_finite(v.get_ref<const std::string&>(), out);
}

// Non-finite strings count as FLOAT beside at least one JSON number.
struct JsonTypeInference {
  bool seen = false, seen_number = false, all_int = true, all_number = true, all_bool = true;
  void observe(const nlohmann::ordered_json& v) {
    if (v.is_null()) return;
    seen = true;
    double d;
    all_int = all_int && v.is_number_integer() &&
              !(v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX));
    seen_number = seen_number || v.is_number();
    all_number = all_number && (v.is_number() || json_non_finite(v, d));
    all_bool = all_bool && v.is_boolean();
  }
  Type result() const {
    if (!seen) return Type::String;
    if (all_int) return Type::Integer;
    if (all_number && seen_number) return Type::Float;
    if (all_bool) return Type::Boolean;
    return Type::String;
  }
};

bool json_to_value(const nlohmann::ordered_json& v, Type type, Value& out) {
  switch (type) {
    case Type::Integer:
      if (!v.is_number_integer()) return false;
      if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX)) return false;
      out = Value::integer(v.get<int64_t>());
      return true;
    case Type::Float: {
      double d;
      if (json_non_finite(v, d)) {
        out = Value::floating(d);
        return true;
      }
      if (!v.is_number()) return false;
      out = Value::floating(v.get<double>());
      return true;
    }
    case Type::Boolean:
      if (!v.is_boolean()) return false;
      out = Value::boolean(v.get<bool>());
      return true;
    case Type::String:
      if (!v.is_string()) return false;
      out = Value::string(v.get_ref<const std::string&>());
      return true;
    case Type::Timestamp: {
      int64_t ms;
      // nlohmann parses non-negative integers as unsigned: accept those that fit.
      if (v.is_number_integer() &&
          !(v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX))) {
        out = Value::timestamp(v.get<int64_t>());
        return true;
      }
      if (v.is_string() && parse_timestamp(v.get_ref<const std::string&>(), ms)) {
        out = Value::timestamp(ms);
        return true;
      }
      return false;
    }
    case Type::Null:
      break;
  }
  return false;
}

}  // namespace

JsonlReader::JsonlReader(std::string path, TextReaderOptions options)
    : path_(std::move(path)),
      options_(std::move(options)),
      input_(path_, options_.buffer_bytes),
      bad_rows_(options_.on_error, options_.kept_skip_messages) {
  build_schema();
  event_time_column_ = resolve_event_time_column(path_, schema_, options_.event_time_column);
}

JsonlReader::~JsonlReader() = default;

bool JsonlReader::next_line(Line& line) {
  while (true) {
    std::string_view w = input_.window();
    size_t newline = w.find('\n');
    if (newline == std::string_view::npos && !input_.at_eof()) {
      input_.fill();
      continue;
    }
    if (newline == std::string_view::npos && w.empty()) return false;
    size_t length = newline == std::string_view::npos ? w.size() : newline;
    std::string_view text = w.substr(0, length);
    ++line_number_;
    if (line_number_ == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    if (is_blank(text)) {
      input_.consume(length + 1);
      continue;
    }
    line.number = line_number_;
    line.error.clear();
    if (auto deep = find_json_depth_excess(text)) {
      // Refused before parsing: what is built from a deeper value may recurse past the stack.
      line.object = nullptr;
      line.error = fmt::format("{}:{}: {}", path_, line.number, json_depth_message(*deep));
      input_.consume(length + 1);
      return true;
    }
    try {
      line.object = nlohmann::ordered_json::parse(text.begin(), text.end());
      if (!line.object.is_object()) {
        line.error = fmt::format("{}:{}: expected a JSON object, found {} {}", path_, line.number,
                                 line.object.is_array() ? "an" : "a", line.object.type_name());
      }
    } catch (const nlohmann::ordered_json::exception& e) {
      line.object = nullptr;
      line.error = fmt::format("{}:{}: invalid JSON: {}", path_, line.number, parse_message(e));
    }
    input_.consume(length + 1);  // the view is dead from here on
    return true;
  }
}

void JsonlReader::build_schema() {
  std::vector<bool> known;
  if (options_.schema) {
    for (const Field& f : options_.schema->fields()) {
      schema_.add(f.name, f.type);
      keys_.push_back(f.name);
      known.push_back(true);
    }
  }
  std::vector<JsonTypeInference> inference(schema_.size());
  while (held_.size() < options_.infer_rows) {
    Line line;
    if (!next_line(line)) break;
    if (line.error.empty()) {
      for (const auto& [key, value] : line.object.items()) {
        auto index = schema_.index_of(key);
        if (!index) {
          index = schema_.size();
          schema_.add(key, Type::String);
          keys_.push_back(key);
          known.push_back(false);
          inference.emplace_back();
        }
        keys_[*index] = key;  // the file's spelling, should the schema's case differ
        inference[*index].observe(value);
      }
    }
    held_.push_back(std::move(line));
  }
  // Every line read for the column list was bad: no column can ever be read, so say why here
  // rather than leave the query to fail on "unknown column".
  if (schema_.size() == 0) {
    for (const Line& held : held_) {
      if (!held.error.empty()) throw SourceError(held.error);
    }
  }
  Schema typed;
  for (size_t k = 0; k < schema_.size(); ++k) {
    typed.add(schema_[k].name, known[k] ? schema_[k].type : inference[k].result());
  }
  schema_ = std::move(typed);
  for (size_t k = 0; k < keys_.size(); ++k) column_of_key_.emplace(keys_[k], k);
}

bool JsonlReader::convert(const Line& line, Batch& out) {
  if (!line.error.empty()) {
    bad_rows_.bad_row(line.error);
    return false;
  }
  RecordMeta meta;
  meta.offset = static_cast<int64_t>(read_);
  RecordBuilder builder(schema_.size(), meta);
  // One pass over the object's keys (ordered_json's find() is a linear scan: once per column
  // made a wide row quadratic), then the columns in order, so the first bad one is reported.
  row_values_.assign(schema_.size(), nullptr);
  for (const auto& [key, value] : line.object.items()) {
    auto column = column_of_key_.find(key);
    if (column != column_of_key_.end()) row_values_[column->second] = &value;
  }
  for (size_t k = 0; k < schema_.size(); ++k) {
    const nlohmann::ordered_json* v = row_values_[k];
    if (!v || v->is_null()) continue;
    if (!json_to_value(*v, schema_[k].type, builder[k])) {
      bad_rows_.bad_row(fmt::format("{}:{}: field '{}': expected {}, found {}", path_, line.number,
                                    schema_[k].name, type_name(schema_[k].type),
                                    excerpt(v->dump())));
      return false;
    }
  }
  if (event_time_column_ >= 0) {
    const Value& t = builder[static_cast<size_t>(event_time_column_)];
    if (t.is_null()) {
      bad_rows_.bad_row(fmt::format("{}:{}: field '{}': the event-time column is missing or null",
                                    path_, line.number, schema_[event_time_column_].name));
      return false;
    }
    builder.meta().event_time = t.as_int();
  }
  out.push_back(builder.build());
  record_lines_.add(static_cast<int64_t>(read_), line.number);
  ++read_;
  return true;
}

ReadResult JsonlReader::read(size_t max, Batch& out) {
  ReadResult result;
  record_lines_.clear();
  Line line;
  while (result.count < max && !ended_) {
    if (!held_.empty()) {
      line = std::move(held_.front());
      held_.pop_front();
    } else if (!next_line(line)) {
      ended_ = true;
      break;
    }
    if (convert(line, out)) ++result.count;
  }
  result.end_of_stream = ended_;
  return result;
}

}  // namespace sg
