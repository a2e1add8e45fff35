#include "harness/io/csv_reader.h"

#include <algorithm>

#include <fmt/format.h>

#include "harness/io/text_values.h"

namespace sg {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

CsvReader::CsvReader(std::string path, TextReaderOptions options)
    : path_(std::move(path)),
      options_(std::move(options)),
      input_(path_, options_.buffer_bytes),
      scanner_(input_),
      bad_rows_(options_.on_error, options_.kept_skip_messages) {
  read_header();
  event_time_column_ = resolve_event_time_column(path_, schema_, options_.event_time_column);
}

CsvReader::~CsvReader() = default;

std::string CsvReader::field_prefix(int64_t line, size_t column) const {
  if (column < schema_.size()) {
    return fmt::format("{}:{}: field '{}' (column {})", path_, line, schema_[column].name,
                       column + 1);
  }
  return fmt::format("{}:{}: column {}", path_, line, column + 1);
}

void CsvReader::read_header() {
  CsvRow header;
  CsvSyntaxError error;
  switch (scanner_.next(header, error)) {
    case CsvScanner::Result::End:
      throw SourceError(fmt::format("{}: the file is empty; expected a header row", path_));
    case CsvScanner::Result::Malformed:
      throw SourceError(fmt::format("{}:{}: bad header, column {}: {}", path_, error.line,
                                    error.column + 1, error.what));
    case CsvScanner::Result::Row:
      break;
  }
  std::vector<Type> types(header.size, Type::String);
  std::vector<bool> known(header.size, false);
  for (size_t k = 0; k < header.size; ++k) {
    std::string name(trim(header.fields[k]));
    if (name.empty()) {
      throw SourceError(
          fmt::format("{}:{}: column {} of the header has no name", path_, header.line, k + 1));
    }
    if (schema_.index_of(name)) {
      throw SourceError(fmt::format("{}:{}: column {} of the header repeats the name '{}'", path_,
                                    header.line, k + 1, name));
    }
    schema_.add(name, Type::String);
  }
  if (options_.schema) {
    for (const Field& f : options_.schema->fields()) {
      auto index = schema_.index_of(f.name);
      if (!index) {
        throw SourceError(
            fmt::format("{}: schema field '{}' is not a column of the header "
                        "(columns: {})",
                        path_, f.name, schema_.names()));
      }
      types[*index] = f.type;
      known[*index] = true;
    }
  }
  if (std::find(known.begin(), known.end(), false) != known.end()) infer_types(types, known);
  Schema typed;
  for (size_t k = 0; k < schema_.size(); ++k) typed.add(schema_[k].name, types[k]);
  schema_ = std::move(typed);
}

void CsvReader::infer_types(std::vector<Type>& types, const std::vector<bool>& known) {
  std::vector<TypeInference> inference(types.size());
  while (held_.size() < options_.infer_rows) {
    Scanned s;
    s.result = scanner_.next(s.row, s.error);
    if (s.result == CsvScanner::Result::End) break;
    if (s.result == CsvScanner::Result::Row && s.row.size == types.size()) {
      // Rows of the wrong width say nothing reliable about types; read() reports them.
      for (size_t k = 0; k < s.row.size; ++k) {
        if (!s.row.fields[k].empty()) inference[k].observe(s.row.fields[k]);
      }
    }
    held_.push_back(std::move(s));
  }
  for (size_t k = 0; k < types.size(); ++k) {
    if (!known[k]) types[k] = inference[k].result();
  }
}

void CsvReader::report_syntax_error(const CsvSyntaxError& error) {
  bad_rows_.bad_row(fmt::format("{}: {}", field_prefix(error.line, error.column), error.what));
}

bool CsvReader::convert(const CsvRow& row, Batch& out) {
  if (row.size != schema_.size()) {
    std::string detail =
        row.size < schema_.size()
            ? fmt::format("field '{}' (column {}) is missing", schema_[row.size].name, row.size + 1)
            : fmt::format("column {} is beyond the header's last column '{}'", schema_.size() + 1,
                          schema_[schema_.size() - 1].name);
    bad_rows_.bad_row(fmt::format("{}:{}: expected {} fields, found {}: {}", path_, row.line,
                                  schema_.size(), row.size, detail));
    return false;
  }
  RecordMeta meta;
  meta.offset = static_cast<int64_t>(read_);
  RecordBuilder builder(row.size, meta);
  for (size_t k = 0; k < row.size; ++k) {
    const std::string& text = row.fields[k];
    Type type = schema_[k].type;
    if (text.empty()) {
      // Unquoted empty is NULL; quoted empty ("") is the empty string where that is a value.
      if (row.quoted[k] && type == Type::String) builder[k] = Value::string("");
      continue;
    }
    if (!parse_value(text, type, builder[k])) {
      bad_rows_.bad_row(fmt::format("{}: expected {}, found '{}'", field_prefix(row.line, k),
                                    type_name(type), excerpt(text)));
      return false;
    }
  }
  if (event_time_column_ >= 0) {
    const Value& t = builder[static_cast<size_t>(event_time_column_)];
    if (t.is_null()) {
      bad_rows_.bad_row(
          fmt::format("{}: the event-time column is empty",
                      field_prefix(row.line, static_cast<size_t>(event_time_column_))));
      return false;
    }
    builder.meta().event_time = t.as_int();
  }
  out.push_back(builder.build());
  record_lines_.add(static_cast<int64_t>(read_), row.line);
  ++read_;
  return true;
}

ReadResult CsvReader::read(size_t max, Batch& out) {
  ReadResult result;
  record_lines_.clear();
  while (result.count < max && !ended_) {
    bool converted = false;
    if (!held_.empty()) {
      Scanned s = std::move(held_.front());
      held_.pop_front();
      if (s.result == CsvScanner::Result::Row) {
        converted = convert(s.row, out);
      } else {
        report_syntax_error(s.error);  // End is never held
      }
    } else {
      switch (scanner_.next(row_, error_)) {
        case CsvScanner::Result::Row:
          converted = convert(row_, out);
          break;
        case CsvScanner::Result::Malformed:
          report_syntax_error(error_);
          break;
        case CsvScanner::Result::End:
          ended_ = true;
          break;
      }
    }
    if (converted) ++result.count;
  }
  result.end_of_stream = ended_;
  return result;
}

}  // namespace sg
