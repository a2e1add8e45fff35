#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "harness/io/csv_reader.h"
#include "temp_dir.h"

using namespace sg;
using sg::test::TempDir;

namespace {

// Reads everything in batches of `batch`, checking the end-of-stream contract on the way.
Batch read_all(CsvReader& reader, size_t batch = 1024) {
  Batch out;
  while (true) {
    size_t before = out.size();
    ReadResult r = reader.read(batch, out);
    REQUIRE(r.count == out.size() - before);
    REQUIRE(r.count <= batch);
    if (r.end_of_stream) break;
  }
  // After the end, reads stay at the end.
  Batch more;
  ReadResult again = reader.read(batch, more);
  REQUIRE(again.end_of_stream);
  REQUIRE(again.count == 0);
  return out;
}

std::string error_of(const std::string& path, TextReaderOptions options = {}) {
  try {
    CsvReader reader(path, options);
    read_all(reader);
  } catch (const SourceError& e) {
    return e.what();
  }
  return "(no error)";
}

TextReaderOptions with_schema(const std::string& spec) {
  TextReaderOptions o;
  o.schema = Schema::parse(spec);
  return o;
}

}  // namespace

TEST_CASE("csv: header names, inferred types, NULLs and offsets") {
  TempDir dir;
  std::string path = dir.write("t.csv",
                               "id,name,price,flag,empty\n"
                               "1,apple,1.5,true,\n"
                               "2,,2,FALSE,\n"
                               "3,\"\",-3e2,true,\n");
  CsvReader reader(path);
  REQUIRE(reader.schema().to_string() ==
          "id:INTEGER,name:STRING,price:FLOAT,flag:BOOLEAN,empty:STRING");
  REQUIRE(reader.event_time_column() == -1);
  Batch rows = read_all(reader);
  REQUIRE(rows.size() == 3);
  REQUIRE((*rows[0])[0].as_int() == 1);
  REQUIRE((*rows[0])[1].as_string() == "apple");
  REQUIRE((*rows[0])[2].as_float() == 1.5);
  REQUIRE((*rows[0])[3].as_bool());
  REQUIRE((*rows[0])[4].is_null());
  REQUIRE((*rows[1])[1].is_null());               // empty field: NULL
  REQUIRE((*rows[2])[1].type() == Type::String);  // quoted empty: the empty string
  REQUIRE((*rows[2])[1].as_string().empty());
  REQUIRE((*rows[1])[2].type() == Type::Float);  // "2" in a FLOAT column
  REQUIRE_FALSE((*rows[1])[3].as_bool());
  REQUIRE((*rows[2])[2].as_float() == -300);
  for (size_t i = 0; i < rows.size(); ++i) {
    REQUIRE(rows[i]->offset() == static_cast<int64_t>(i));
    REQUIRE(rows[i]->event_time() == 0);
  }
  REQUIRE(reader.records_read() == 3);
  REQUIRE(reader.records_committed() == 0);
  reader.commit();
  REQUIRE(reader.records_committed() == 3);
}

TEST_CASE("csv: RFC 4180 quoting, CRLF, BOM and blank lines") {
  TempDir dir;
  std::string path = dir.write("q.csv",
                               "\xEF\xBB\xBF"
                               "a,b\r\n"
                               "\"x, y\",\"say \"\"hi\"\"\"\r\n"
                               "\r\n"
                               "\"two\nlines\",plain\n"
                               "\n"
                               "last,\"\"\"\"");  // no newline at the end
  CsvReader reader(path);
  REQUIRE(reader.schema().to_string() == "a:STRING,b:STRING");
  Batch rows = read_all(reader);
  REQUIRE(rows.size() == 3);
  REQUIRE((*rows[0])[0].as_string() == "x, y");
  REQUIRE((*rows[0])[1].as_string() == "say \"hi\"");
  REQUIRE((*rows[1])[0].as_string() == "two\nlines");
  REQUIRE((*rows[2])[1].as_string() == "\"");
}

TEST_CASE("csv: every buffer size gives the same rows (chunk boundaries anywhere)") {
  TempDir dir;
  std::string content =
      "id,text,score\r\n"
      "1,\"a,\"\"b\"\"\r\nc\",1.25\r\n"
      "2,plain,\r\n"
      "\r\n"
      "3,\"\",-7\r\n"
      "4,\"x\"\"\",8\n";
  std::string path = dir.write("c.csv", content);
  TextReaderOptions big;
  CsvReader reference(path, big);
  Batch expected = read_all(reference);
  REQUIRE(expected.size() == 4);
  REQUIRE((*expected[0])[1].as_string() == "a,\"b\"\r\nc");
  for (size_t size = 16; size <= content.size() + 1; ++size) {
    TextReaderOptions small;
    small.buffer_bytes = size;
    CsvReader reader(path, small);
    REQUIRE(reader.schema().to_string() == reference.schema().to_string());
    Batch rows = read_all(reader, 1);
    REQUIRE(rows.size() == expected.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      INFO("buffer " << size << ", row " << i);
      REQUIRE(rows[i]->row_hash() == expected[i]->row_hash());
    }
  }
}

TEST_CASE("csv: a schema gives types by name; the other columns are inferred") {
  TempDir dir;
  std::string path = dir.write("s.csv",
                               "ts,sym,qty,at\n"
                               "2024-01-02T03:04:05Z,A,5,1000\n"
                               "2024-01-02T03:04:05.250,B,6,2000\n"
                               "1704164645000,C,7,3000\n");
  CsvReader reader(path, with_schema("TS:timestamp,qty:float"));
  REQUIRE(reader.schema().to_string() == "ts:TIMESTAMP,sym:STRING,qty:FLOAT,at:INTEGER");
  REQUIRE(reader.event_time_column() == 0);  // the first TIMESTAMP column by default
  Batch rows = read_all(reader);
  REQUIRE(rows.size() == 3);
  REQUIRE((*rows[0])[0].as_int() == 1704164645000);
  REQUIRE(rows[0]->event_time() == 1704164645000);
  REQUIRE(rows[1]->event_time() == 1704164645250);
  REQUIRE(rows[2]->event_time() == 1704164645000);
  REQUIRE((*rows[0])[2].type() == Type::Float);

  TextReaderOptions explicit_column = with_schema("ts:timestamp");
  explicit_column.event_time_column = "at";
  CsvReader by_at(path, explicit_column);
  REQUIRE(by_at.event_time_column() == 3);
  Batch r2 = read_all(by_at);
  REQUIRE(r2[2]->event_time() == 3000);
}

TEST_CASE("csv: construction errors name the file and the problem") {
  TempDir dir;
  std::string path = dir.write("h.csv", "a,b\n1,2\n");
  REQUIRE(error_of(dir.file("missing.csv")) ==
          dir.file("missing.csv") + ": cannot open: No such file or directory");
  REQUIRE(error_of(dir.write("empty.csv", "")) ==
          dir.file("empty.csv") + ": the file is empty; expected a header row");
  REQUIRE(error_of(dir.write("dup.csv", "a,A\n")) ==
          dir.file("dup.csv") + ":1: column 2 of the header repeats the name 'A'");
  REQUIRE(error_of(dir.write("noname.csv", "a,,c\n")) ==
          dir.file("noname.csv") + ":1: column 2 of the header has no name");
  REQUIRE(error_of(path, with_schema("c:integer")) ==
          path + ": schema field 'c' is not a column of the header (columns: a, b)");
  TextReaderOptions et;
  et.event_time_column = "zz";
  REQUIRE(error_of(path, et) == path + ": event-time column 'zz' does not exist (columns: a, b)");
  TextReaderOptions et_type = with_schema("b:string");
  et_type.event_time_column = "b";
  REQUIRE(error_of(path, et_type) ==
          path + ": event-time column 'b' is STRING; expected TIMESTAMP or INTEGER milliseconds");
}

TEST_CASE("csv: bad rows name file, line and field") {
  TempDir dir;
  // Line numbers count physical lines, so the multi-line field on line 2 pushes the rest down.
  std::string head = "id,qty\n1,\"multi\nline\"\n";
  auto bad = [&](const std::string& name, const std::string& row,
                 TextReaderOptions o = with_schema("id:integer,qty:string")) {
    return error_of(dir.write(name, head + row), o);
  };
  std::string p = dir.file("x.csv");
  REQUIRE(bad("x.csv", "abc,5\n") ==
          p + ":4: field 'id' (column 1): expected INTEGER, found 'abc'");
  REQUIRE(bad("x.csv", "7\n") == p + ":4: expected 2 fields, found 1: field 'qty' (column 2) is "
                                     "missing");
  REQUIRE(bad("x.csv", "7,8,9\n") == p + ":4: expected 2 fields, found 3: column 3 is beyond the "
                                         "header's last column 'qty'");
  REQUIRE(
      bad("x.csv", "7,ab\"c\n") ==
      p + ":4: field 'qty' (column 2): '\"' inside an unquoted field (quote the whole field and "
          "write a quote inside it as '\"\"')");
  REQUIRE(bad("x.csv", "7,\"ab\"c\n") ==
          p + ":4: field 'qty' (column 2): expected ',' or the end of the row after the closing "
              "quote, found 'c'");
  REQUIRE(bad("x.csv", "7,8\n8,\"open\nand\nnever closed\n") ==
          p + ":5: field 'qty' (column 2): unterminated quoted field: the '\"' that opens it is "
              "never closed");
  // Inferred INTEGER from the first rows; a later row that is not an integer.
  TextReaderOptions infer_two;
  infer_two.infer_rows = 2;
  std::string q = dir.write("y.csv", "n\n1\n2\n3\n4.5\n");
  REQUIRE(error_of(q, infer_two) == q + ":5: field 'n' (column 1): expected INTEGER, found '4.5'");
  // Values in messages are cut short.
  std::string long_value(100, 'z');
  REQUIRE(bad("x.csv", long_value + ",1\n") ==
          p + ":4: field 'id' (column 1): expected INTEGER, found '" + std::string(40, 'z') +
              "...'");
  // An empty event time is a bad row too.
  std::string t = dir.write("t.csv", "ts,v\n1,a\n,b\n");
  REQUIRE(error_of(t, with_schema("ts:timestamp")) ==
          t + ":3: field 'ts' (column 1): the event-time column is empty");
}

TEST_CASE("csv: on-error skip counts the bad rows and keeps the first messages") {
  TempDir dir;
  std::string path = dir.write("s.csv",
                               "a,b\n"
                               "1,x\n"
                               "oops,y\n"
                               "2\n"
                               "3,\"z\"q\n"
                               "4,w\n"
                               "5,v,extra\n"
                               "6,u\n");
  TextReaderOptions o = with_schema("a:integer");
  o.on_error = OnError::Skip;
  o.kept_skip_messages = 2;
  CsvReader reader(path, o);
  Batch rows = read_all(reader, 2);
  REQUIRE(rows.size() == 3);
  REQUIRE((*rows[0])[0].as_int() == 1);
  REQUIRE((*rows[1])[0].as_int() == 4);
  REQUIRE((*rows[2])[0].as_int() == 6);
  REQUIRE(rows[2]->offset() == 2);  // offsets count the records delivered
  REQUIRE(reader.rows_skipped() == 4);
  REQUIRE(reader.skip_messages().size() == 2);
  REQUIRE(reader.skip_messages()[0] ==
          path + ":3: field 'a' (column 1): expected INTEGER, found 'oops'");
  REQUIRE(reader.skip_messages()[1] ==
          path + ":4: expected 2 fields, found 1: field 'b' (column 2) is missing");
}

TEST_CASE("csv: a file much bigger than the buffer streams with bounded memory") {
  TempDir dir;
  std::string content = "id,sym,price,note\n";
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    content += std::to_string(i) + ",SYM" + std::to_string(i % 7) + "," + std::to_string(i) +
               ".5,\"note, " + std::to_string(i) + "\"\n";
  }
  REQUIRE(content.size() > 500'000);
  std::string path = dir.write("big.csv", content);
  TextReaderOptions o;
  o.buffer_bytes = 512;
  o.infer_rows = 10;
  CsvReader reader(path, o);
  REQUIRE(reader.schema().to_string() == "id:INTEGER,sym:STRING,price:FLOAT,note:STRING");
  int64_t expected = 0;
  Batch batch;
  bool end = false;
  while (!end) {
    batch.clear();
    ReadResult r = reader.read(333, batch);
    end = r.end_of_stream;
    for (const RecordPtr& row : batch) {
      REQUIRE((*row)[0].as_int() == expected);
      REQUIRE(row->offset() == expected);
      ++expected;
    }
  }
  REQUIRE(expected == n);
  // One buffer of twice the read size at most: rows are shorter than a read.
  REQUIRE(reader.peak_buffer_bytes() <= 2 * 512);
}

TEST_CASE("csv: one row longer than the buffer grows it just enough") {
  TempDir dir;
  std::string big(100'000, 'x');
  std::string path = dir.write("long.csv", "a,b\n1,\"" + big + "\"\n2,y\n");
  TextReaderOptions o;
  o.buffer_bytes = 64;
  CsvReader reader(path, o);
  Batch rows = read_all(reader);
  REQUIRE(rows.size() == 2);
  REQUIRE((*rows[0])[1].as_string().size() == big.size());
  REQUIRE(reader.peak_buffer_bytes() <= 4 * big.size());
}

TEST_CASE("csv: every fuzz seed reads or fails with a SourceError, under both policies") {
  const std::string corpus = STREAMGAUGE_SOURCE_DIR "/tests/harness/fuzz_corpus/csv";
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    ++files;
    for (OnError policy : {OnError::Fail, OnError::Skip}) {
      INFO(entry.path().string());
      TextReaderOptions o;
      o.on_error = policy;
      o.buffer_bytes = 16;  // chunk boundaries everywhere
      try {
        CsvReader reader(entry.path().string(), o);
        read_all(reader, 3);
      } catch (const SourceError& e) {
        REQUIRE(std::string(e.what()).rfind(entry.path().string(), 0) == 0);  // names the file
      }
    }
  }
  REQUIRE(files >= 12);
}

TEST_CASE("csv: a 100,000-column header maps every name, with a constant cost per name") {
  TempDir dir;
  const size_t n = 100000;
  std::string header, row;
  for (size_t k = 0; k < n; ++k) {
    header += (k ? ",c" : "c") + std::to_string(k);
    row += (k ? "," : "") + std::to_string(k * 2);
  }
  const std::string path = dir.write("wide.csv", header + "\n" + row + "\n");
  const uint64_t before = Schema::names_compared();
  CsvReader reader(path, with_schema("C99999:float"));
  // One lookup per header name and one per schema field (a scan per name compared 5e9).
  CHECK(Schema::names_compared() - before <= 4 * n);
  const Schema& schema = reader.schema();
  REQUIRE(schema.size() == n);
  CHECK(schema[0].name == "c0");
  CHECK(schema[n - 1].type == Type::Float);
  CHECK(schema.index_of("c54321") == 54321);
  Batch rows = read_all(reader);
  REQUIRE(rows.size() == 1);
  CHECK((*rows[0])[54321].as_int() == 2 * 54321);
  CHECK((*rows[0])[n - 1].as_float() == 2.0 * (n - 1));
  // A repeated name among them is still found.
  const std::string repeated = dir.write("repeated.csv", header + ",C777\n" + row + ",1\n");
  CHECK(error_of(repeated) ==
        repeated + ":1: column 100001 of the header repeats the name 'C777'");
}
