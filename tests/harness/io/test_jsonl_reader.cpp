#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "harness/io/jsonl_reader.h"
#include "temp_dir.h"

using namespace sg;
using sg::test::TempDir;

namespace {

Batch read_all(JsonlReader& reader, size_t batch = 1024) {
  Batch out;
  while (true) {
    size_t before = out.size();
    ReadResult r = reader.read(batch, out);
    REQUIRE(r.count == out.size() - before);
    if (r.end_of_stream) break;
  }
  Batch more;
  REQUIRE(reader.read(batch, more).end_of_stream);
  REQUIRE(more.empty());
  return out;
}

std::string error_of(const std::string& path, TextReaderOptions options = {}) {
  try {
    JsonlReader reader(path, options);
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

TEST_CASE("jsonl: columns in first-seen key order, inferred types, missing keys are NULL") {
  TempDir dir;
  std::string path = dir.write("t.jsonl",
                               "{\"id\": 1, \"sym\": \"A\", \"px\": 1.5}\n"
                               "\n"
                               "   \n"
                               "{\"sym\": \"B\", \"id\": 2, \"px\": 2, \"ok\": true, \"n\": null}\n"
                               "{\"id\": 3, \"px\": null}\r\n"
                               "{\"id\": 4, \"sym\": \"D\", \"px\": -1e3, \"ok\": false}");
  JsonlReader reader(path);
  REQUIRE(reader.schema().to_string() == "id:INTEGER,sym:STRING,px:FLOAT,ok:BOOLEAN,n:STRING");
  Batch rows = read_all(reader);
  REQUIRE(rows.size() == 4);
  REQUIRE((*rows[0])[0].as_int() == 1);
  REQUIRE((*rows[0])[1].as_string() == "A");
  REQUIRE((*rows[0])[3].is_null());  // missing key
  REQUIRE((*rows[1])[2].type() == Type::Float);
  REQUIRE((*rows[1])[2].as_float() == 2);
  REQUIRE((*rows[1])[3].as_bool());
  REQUIRE((*rows[2])[1].is_null());
  REQUIRE((*rows[2])[2].is_null());  // explicit null
  REQUIRE((*rows[3])[2].as_float() == -1000);
  for (size_t i = 0; i < rows.size(); ++i) REQUIRE(rows[i]->offset() == static_cast<int64_t>(i));
  reader.commit();
  REQUIRE(reader.records_committed() == 4);
}

TEST_CASE("jsonl: a schema types columns and comes first; timestamps and event time") {
  TempDir dir;
  std::string path = dir.write("s.jsonl",
                               "{\"v\": 1, \"ts\": \"2024-01-02T03:04:05.007Z\"}\n"
                               "{\"v\": 2, \"ts\": 1704164645000, \"extra\": \"e\"}\n");
  JsonlReader reader(path, with_schema("TS:timestamp,v:float"));
  REQUIRE(reader.schema().to_string() == "TS:TIMESTAMP,v:FLOAT,extra:STRING");
  REQUIRE(reader.event_time_column() == 0);
  Batch rows = read_all(reader);
  REQUIRE(rows[0]->event_time() == 1704164645007);
  REQUIRE(rows[1]->event_time() == 1704164645000);
  REQUIRE((*rows[1])[1].type() == Type::Float);
  REQUIRE((*rows[1])[2].as_string() == "e");

  // Without the schema, "ts" mixes strings and numbers: it would be STRING, and the number on
  // line 2 an error.
  TextReaderOptions by_v = with_schema("ts:timestamp");
  by_v.event_time_column = "v";
  JsonlReader integer_time(path, by_v);
  Batch r2 = read_all(integer_time);
  REQUIRE(r2[1]->event_time() == 2);
}

TEST_CASE("jsonl: bad lines name file, line and field") {
  TempDir dir;
  auto bad = [&](const std::string& content, TextReaderOptions o = with_schema("n:integer")) {
    return error_of(dir.write("b.jsonl", "{\"n\": 1}\n\n" + content), o);
  };
  std::string p = dir.file("b.jsonl");
  REQUIRE(bad("{\"n\": \"abc\"}\n") == p + ":3: field 'n': expected INTEGER, found \"abc\"");
  REQUIRE(bad("{\"n\": 1.5}\n") == p + ":3: field 'n': expected INTEGER, found 1.5");
  REQUIRE(bad("{\"n\": [1, 2]}\n") == p + ":3: field 'n': expected INTEGER, found [1,2]");
  REQUIRE(bad("[1, 2]\n") == p + ":3: expected a JSON object, found an array");
  REQUIRE(bad("42\n") == p + ":3: expected a JSON object, found a number");
  std::string broken = bad("{\"n\": 1\n");
  REQUIRE(broken.rfind(p + ":3: invalid JSON: ", 0) == 0);
  REQUIRE(broken.find("column") != std::string::npos);
  REQUIRE(bad("{\"n\": 18446744073709551615}\n") ==
          p + ":3: field 'n': expected INTEGER, found 18446744073709551615");
  std::string t = dir.write("t.jsonl", "{\"t\": 5}\n{\"t\": \"yesterday\"}\n{\"n\": 1}\n");
  REQUIRE(error_of(t, with_schema("t:timestamp")) ==
          t + ":2: field 't': expected TIMESTAMP, found \"yesterday\"");
  TextReaderOptions skip = with_schema("t:timestamp");
  skip.on_error = OnError::Skip;
  JsonlReader reader(t, skip);
  REQUIRE(read_all(reader).size() == 1);
  REQUIRE(reader.skip_messages().at(1) ==
          t + ":3: field 't': the event-time column is missing or null");
  REQUIRE(error_of(dir.file("none.jsonl")) ==
          dir.file("none.jsonl") + ": cannot open: No such file or directory");
}

TEST_CASE("jsonl: on-error skip counts bad lines and keeps going") {
  TempDir dir;
  std::string path = dir.write("s.jsonl",
                               "{\"n\": 1}\n"
                               "not json\n"
                               "{\"n\": \"x\"}\n"
                               "{\"n\": 2}\n"
                               "[]\n"
                               "{\"n\": 3}\n");
  TextReaderOptions o = with_schema("n:integer");
  o.on_error = OnError::Skip;
  JsonlReader reader(path, o);
  Batch rows = read_all(reader, 1);
  REQUIRE(rows.size() == 3);
  REQUIRE((*rows[2])[0].as_int() == 3);
  REQUIRE(rows[2]->offset() == 2);
  REQUIRE(reader.rows_skipped() == 3);
  REQUIRE(reader.skip_messages().size() == 3);
  REQUIRE(reader.skip_messages()[1] == path + ":3: field 'n': expected INTEGER, found \"x\"");
  REQUIRE(reader.skip_messages()[2] == path + ":5: expected a JSON object, found an array");
}

TEST_CASE("jsonl: a big file streams through a small buffer") {
  TempDir dir;
  std::string content;
  const int n = 10000;
  for (int i = 0; i < n; ++i) {
    content += "{\"id\": " + std::to_string(i) + ", \"sym\": \"S" + std::to_string(i % 5) +
               "\", \"px\": " + std::to_string(i) + ".25}\n";
  }
  std::string path = dir.write("big.jsonl", content);
  TextReaderOptions o;
  o.buffer_bytes = 300;
  o.infer_rows = 5;
  JsonlReader reader(path, o);
  REQUIRE(reader.schema().to_string() == "id:INTEGER,sym:STRING,px:FLOAT");
  Batch rows = read_all(reader, 97);
  REQUIRE(rows.size() == static_cast<size_t>(n));
  REQUIRE((*rows[n - 1])[0].as_int() == n - 1);
  REQUIRE((*rows[n - 1])[2].as_float() == n - 1 + 0.25);
  REQUIRE(reader.peak_buffer_bytes() <= 2 * 300);
}

TEST_CASE("jsonl: every fuzz seed reads or fails with a SourceError, under both policies") {
  const std::string corpus = STREAMGAUGE_SOURCE_DIR "/tests/harness/fuzz_corpus/jsonl";
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    ++files;
    for (OnError policy : {OnError::Fail, OnError::Skip}) {
      INFO(entry.path().string());
      TextReaderOptions o;
      o.on_error = policy;
      o.buffer_bytes = 16;
      try {
        JsonlReader reader(entry.path().string(), o);
        read_all(reader, 3);
      } catch (const SourceError& e) {
        REQUIRE(std::string(e.what()).rfind(entry.path().string(), 0) == 0);
      }
    }
  }
  REQUIRE(files >= 12);
}

TEST_CASE("jsonl: a value nested 100,000 deep is an error naming the limit, not a stack overflow") {
  TempDir dir;
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const std::string path =
      dir.write("d.jsonl", "{\"id\": 1}\n{\"id\": 2, \"value\": " + deep + "}\n{\"id\": 3}\n");
  const std::string expected =
      path + ":2: JSON nested deeper than the limit of 512 levels at column 531";
  REQUIRE(error_of(path) == expected);
  TextReaderOptions skip;
  skip.on_error = OnError::Skip;
  JsonlReader reader(path, skip);
  REQUIRE(read_all(reader).size() == 2);
  REQUIRE(reader.skip_messages() == std::vector<std::string>{expected});
  // At the limit the line parses; the value is then the wrong type for its column, as before.
  const std::string at_limit = std::string(511, '[') + std::string(511, ']');
  const std::string ok = dir.write("ok.jsonl", "{\"id\": 1, \"value\": " + at_limit + "}\n");
  REQUIRE(error_of(ok, with_schema("id:integer,value:integer"))
              .rfind(ok + ":1: field 'value': expected INTEGER, found [[[", 0) == 0);
}

TEST_CASE("jsonl: wide objects map every key to its column, in any key order") {
  TempDir dir;
  const int n = 20000;
  std::string forward = "{", backward = "{";
  for (int k = 0; k < n; ++k) {
    forward += (k ? ",\"c" : "\"c") + std::to_string(k) + "\":" + std::to_string(k);
    const int j = n - 1 - k;
    backward += (k ? ",\"c" : "\"c") + std::to_string(j) + "\":" + std::to_string(-j);
  }
  const std::string path = dir.write("wide.jsonl", forward + "}\n" + backward + "}\n{}\n");
  JsonlReader reader(path);
  REQUIRE(reader.schema().size() == static_cast<size_t>(n));
  Batch rows = read_all(reader);
  REQUIRE(rows.size() == 3);
  for (int k : {0, 1, 12345, n - 1}) {
    INFO(k);
    CHECK(reader.schema()[k].name == "c" + std::to_string(k));
    CHECK((*rows[0])[k].as_int() == k);
    CHECK((*rows[1])[k].as_int() == -k);
    CHECK((*rows[2])[k].is_null());
  }
}
