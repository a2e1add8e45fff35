#include "cli/command_query.h"

#include <iostream>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

#include "cli/commands.h"
#include "engine/arithmetic_error.h"
#include "engine/query.h"
#include "harness/io/csv_reader.h"
#include "harness/io/csv_writer.h"
#include "harness/io/jsonl_reader.h"
#include "harness/io/jsonl_writer.h"

namespace sg {

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitBadQuery = 2;
constexpr int kExitBadInput = 3;

// A usage problem found before any work starts: exit 1 with its message.
class UsageError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

bool ends_with(const std::string& s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (size_t k = 0; k < suffix.size(); ++k) {
    char c = s[s.size() - suffix.size() + k];
    if (std::tolower(static_cast<unsigned char>(c)) != suffix[k]) return false;
  }
  return true;
}

// "csv" or "jsonl" from a file name, or "" when the extension says neither.
std::string format_of(const std::string& path) {
  if (ends_with(path, ".csv")) return "csv";
  if (ends_with(path, ".jsonl") || ends_with(path, ".ndjson") || ends_with(path, ".json")) {
    return "jsonl";
  }
  return "";
}

// "error: 1:8: message", then the query line and a caret under the column.
void print_query_error(const char* what, SourcePos pos, const std::string& sql, std::ostream& err) {
  err << "error: " << what << "\n";
  int line_number = 1;
  size_t start = 0;
  while (line_number < pos.line) {
    size_t nl = sql.find('\n', start);
    if (nl == std::string::npos) return;  // position beyond the text: no excerpt
    start = nl + 1;
    ++line_number;
  }
  size_t end = sql.find('\n', start);
  std::string line = sql.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  // Copy tabs into the caret line so the caret stays under the column however tabs render.
  std::string pad;
  for (size_t k = 0; k + 1 < static_cast<size_t>(pos.column) && k < line.size(); ++k) {
    pad += line[k] == '\t' ? '\t' : ' ';
  }
  err << "  " << line << "\n  " << pad << "^\n";
}

void print_sql_error(const SqlError& e, const std::string& sql, std::ostream& err) {
  print_query_error(e.what(), e.pos(), sql, err);
}

// The readers share no base beyond DataReader; this holds whichever the format asks for.
struct Input {
  std::unique_ptr<CsvReader> csv;
  std::unique_ptr<JsonlReader> jsonl;
  DataReader& reader() { return csv ? static_cast<DataReader&>(*csv) : *jsonl; }
  const Schema& schema() const { return csv ? csv->schema() : jsonl->schema(); }
  uint64_t rows_skipped() const { return csv ? csv->rows_skipped() : jsonl->rows_skipped(); }
  const std::vector<std::string>& skip_messages() const {
    return csv ? csv->skip_messages() : jsonl->skip_messages();
  }
  std::optional<int64_t> line_of_record(int64_t offset) const {
    return csv ? csv->line_of_record(offset) : jsonl->line_of_record(offset);
  }
};

Input open_input(const QueryOptions& o) {
  TextReaderOptions reader_options;
  if (!o.schema.empty()) {
    try {
      reader_options.schema = Schema::parse(o.schema);
    } catch (const std::invalid_argument& e) {
      throw UsageError(fmt::format("--schema: {}", e.what()));
    }
  }
  if (!parse_on_error(o.on_error, reader_options.on_error)) {
    throw UsageError(fmt::format("--on-error: expected 'fail' or 'skip', found '{}'", o.on_error));
  }
  reader_options.event_time_column = o.event_time;
  std::string format = o.format.empty() ? format_of(o.input) : o.format;
  Input input;
  if (format == "csv") {
    input.csv = std::make_unique<CsvReader>(o.input, reader_options);
  } else if (format == "jsonl") {
    input.jsonl = std::make_unique<JsonlReader>(o.input, reader_options);
  } else if (o.format.empty()) {
    throw UsageError(
        fmt::format("cannot tell the format of '{}' from its extension; give "
                    "--format csv or --format jsonl",
                    o.input));
  } else {
    throw UsageError(fmt::format("--format: expected 'csv' or 'jsonl', found '{}'", o.format));
  }
  return input;
}

std::unique_ptr<TextWriter> open_output(const QueryOptions& o, const Schema& schema,
                                        std::ostream& out) {
  if (o.output.empty()) return std::make_unique<JsonlWriter>(schema, out);
  std::string format = format_of(o.output);
  if (format == "csv") return std::make_unique<CsvWriter>(schema, o.output);
  if (format == "jsonl") return std::make_unique<JsonlWriter>(schema, o.output);
  throw UsageError(
      fmt::format("--output '{}': expected a .jsonl, .ndjson, .json or .csv file", o.output));
}

int run(const QueryOptions& o, std::ostream& out, std::ostream& err) {
  if (o.batch_size == 0) throw UsageError("--batch-size must be positive");
  Input input = open_input(o);
  std::shared_ptr<const CompiledQuery> query;
  try {
    query = CompiledQuery::compile(o.sql, input.schema());
  } catch (const SqlError& e) {
    print_sql_error(e, o.sql, err);
    return kExitBadQuery;
  }
  std::unique_ptr<TextWriter> writer = open_output(o, query->output_schema(), out);
  std::unique_ptr<Engine> engine = query->instantiate();
  DataReader& reader = input.reader();

  Batch in, rows;
  in.reserve(o.batch_size);
  bool end_of_stream = false;
  while (!end_of_stream) {
    in.clear();
    end_of_stream = reader.read(o.batch_size, in).end_of_stream;
    try {
      engine->process_batch(in, rows);
      if (end_of_stream) engine->finish(rows);
    } catch (const ArithmeticError& e) {
      // Stops before this batch's rows are written; --output is never published.
      print_query_error(e.what(), e.pos(), o.sql, err);
      const std::optional<int64_t> line =
          e.record_offset() ? input.line_of_record(*e.record_offset()) : std::nullopt;
      if (line) err << fmt::format("  in the record at {}:{}\n", o.input, *line);
      err << fmt::format("query: stopped: {} rows in, {} rows out\n", reader.records_read(),
                         writer->rows_written());
      return kExitFailure;
    }
    writer->write(rows);
    rows.clear();
    writer->commit();
    reader.commit();
  }
  // Only a complete run publishes --output (see harness/io/text_writer.h).
  writer->close();

  EngineStats stats = engine->stats();
  err << fmt::format("query: {} rows in, {} rows out, {} late records dropped, {} rows skipped\n",
                     reader.records_read(), writer->rows_written(), stats.late_records,
                     input.rows_skipped());
  for (const std::string& message : input.skip_messages()) err << "  skipped: " << message << "\n";
  if (input.rows_skipped() > input.skip_messages().size()) {
    err << fmt::format("  ... and {} more skipped rows\n",
                       input.rows_skipped() - input.skip_messages().size());
  }
  return kExitOk;
}

}  // namespace

int run_query_command(const QueryOptions& options, std::ostream& out, std::ostream& err) {
  try {
    return run(options, out, err);
  } catch (const SourceError& e) {
    err << "error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const SqlError& e) {  // not expected past compile(), but never a crash
    print_sql_error(e, options.sql, err);
    return kExitBadQuery;
  } catch (const std::exception& e) {
    err << "error: " << e.what() << "\n";
    return kExitFailure;
  } catch (...) {
    err << "error: unknown failure\n";
    return kExitFailure;
  }
}

void add_query_command(CLI::App& app, std::ostream& out, std::ostream& err) {
  auto options = std::make_shared<QueryOptions>();
  CLI::App* cmd = app.add_subcommand(
      "query", "Run one SQL query over a CSV or JSONL file; print the result rows as JSON lines");
  cmd->add_option("--sql", options->sql, "The query")->required();
  cmd->add_option("--input", options->input, "A .csv or .jsonl file")->required();
  cmd->add_option("--schema", options->schema,
                  "Column types by name, \"name:type,...\"; other columns are inferred");
  cmd->add_option("--format", options->format, "csv or jsonl (default: from the extension)")
      ->check(CLI::IsMember({"csv", "jsonl"}));
  cmd->add_option("--output", options->output,
                  "Write the rows to a .jsonl or .csv file instead of stdout");
  cmd->add_option("--on-error", options->on_error, "fail (default) or skip malformed rows")
      ->check(CLI::IsMember({"fail", "skip"}));
  cmd->add_option("--event-time", options->event_time,
                  "Column holding event times (default: the first TIMESTAMP column)");
  cmd->add_option("--batch-size", options->batch_size, "Records per batch (default 1024)")
      ->check(CLI::PositiveNumber);
  cmd->callback([options, &out, &err] {
    int code = run_query_command(*options, out, err);
    if (code != 0) throw CommandExit{code};
  });
}

void add_query_command(CLI::App& app) {
  add_query_command(app, std::cout, std::cerr);
}

}  // namespace sg
