#include "harness/io/csv_scanner.h"

#include <algorithm>

#include <fmt/format.h>

namespace sg {

namespace {

int64_t count_newlines(std::string_view s) {
  return std::count(s.begin(), s.end(), '\n');
}

std::string& next_field(CsvRow& row) {
  if (row.fields.size() <= row.size) {
    row.fields.emplace_back();
    row.quoted.push_back(0);
  }
  std::string& field = row.fields[row.size];
  field.clear();
  row.quoted[row.size] = 0;
  ++row.size;
  return field;
}

}  // namespace

size_t CsvScanner::end_of_line(std::string_view w, size_t pos, bool at_eof) {
  size_t nl = w.find_first_of("\n\r", pos);
  if (nl == std::string_view::npos) return at_eof ? w.size() : std::string_view::npos;
  if (w[nl] == '\r') {
    if (nl + 1 == w.size() && !at_eof) return std::string_view::npos;  // "\r\n" may be split
    if (nl + 1 < w.size() && w[nl + 1] == '\n') return nl + 2;
  }
  return nl + 1;
}

CsvScanner::Scan CsvScanner::scan(std::string_view w, bool at_eof, CsvRow& row,
                                  CsvSyntaxError& error, size_t& used, int64_t& lines) {
  size_t pos = 0;
  lines = 0;
  row.size = 0;
  row.line = line_;

  // Skips the rest of the line after a syntax error so that the next row can be read.
  auto malformed = [&](size_t at, std::string what) {
    size_t end = end_of_line(w, at, at_eof);
    if (end == std::string_view::npos) return Scan::NeedMore;
    error.line = line_ + lines;
    error.column = row.size - 1;
    error.what = std::move(what);
    if (end > 0 && (w[end - 1] == '\n' || w[end - 1] == '\r')) ++lines;
    used = end;
    return Scan::Malformed;
  };

  while (true) {
    std::string& field = next_field(row);
    size_t column = row.size - 1;
    if (pos < w.size() && w[pos] == '"') {
      row.quoted[column] = 1;
      int64_t quote_line = line_ + lines;
      ++pos;
      while (true) {
        size_t quote = w.find('"', pos);
        if (quote == std::string_view::npos) {
          if (!at_eof) return Scan::NeedMore;
          error.line = quote_line;
          error.column = column;
          error.what = "unterminated quoted field: the '\"' that opens it is never closed";
          lines += count_newlines(w.substr(pos));
          used = w.size();
          return Scan::Malformed;
        }
        std::string_view piece = w.substr(pos, quote - pos);
        lines += count_newlines(piece);
        field.append(piece);
        if (quote + 1 < w.size() && w[quote + 1] == '"') {  // "" is one literal quote
          field += '"';
          pos = quote + 2;
          continue;
        }
        if (quote + 1 == w.size() && !at_eof) return Scan::NeedMore;  // may be the first of ""
        pos = quote + 1;
        break;
      }
      if (pos < w.size() && w[pos] != ',' && w[pos] != '\n' && w[pos] != '\r') {
        return malformed(pos, fmt::format("expected ',' or the end of the row after the closing "
                                          "quote, found '{}'",
                                          w[pos]));
      }
    } else {
      size_t stop = w.find_first_of(",\n\r\"", pos);
      if (stop == std::string_view::npos) {
        if (!at_eof) return Scan::NeedMore;
        stop = w.size();
      }
      if (stop < w.size() && w[stop] == '"') {
        return malformed(stop,
                         "'\"' inside an unquoted field (quote the whole field and write "
                         "a quote inside it as '\"\"')");
      }
      field.assign(w.substr(pos, stop - pos));
      pos = stop;
    }
    if (pos < w.size() && w[pos] == ',') {
      ++pos;
      continue;
    }
    break;
  }

  // The row ends at a line break or at the end of the file.
  if (pos < w.size()) {
    if (w[pos] == '\r') {
      if (pos + 1 == w.size() && !at_eof) return Scan::NeedMore;
      pos += (pos + 1 < w.size() && w[pos + 1] == '\n') ? 2 : 1;
    } else {
      ++pos;
    }
    ++lines;
  }
  used = pos;
  return Scan::Row;
}

CsvScanner::Result CsvScanner::next(CsvRow& row, CsvSyntaxError& error) {
  if (!started_) {
    started_ = true;
    input_.fill();
    std::string_view w = input_.window();
    if (w.size() >= 3 && w.substr(0, 3) == "\xEF\xBB\xBF") input_.consume(3);
  }
  while (true) {
    std::string_view w = input_.window();
    if (w.empty()) {
      if (!input_.fill()) return Result::End;
      continue;
    }
    if (w[0] == '\n' || w[0] == '\r') {  // an empty line: skipped, but counted
      if (w[0] == '\r' && w.size() == 1 && !input_.at_eof()) {
        input_.fill();  // see whether "\r\n" follows
        continue;
      }
      input_.consume(w[0] == '\r' && w.size() > 1 && w[1] == '\n' ? 2 : 1);
      ++line_;
      continue;
    }
    size_t used = 0;
    int64_t lines = 0;
    Scan s = scan(w, input_.at_eof(), row, error, used, lines);
    if (s == Scan::NeedMore) {
      input_.fill();  // at end of file the next scan is final: it never asks for more then
      continue;
    }
    input_.consume(used);
    line_ += lines;
    return s == Scan::Row ? Result::Row : Result::Malformed;
  }
}

}  // namespace sg
