#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>
#include <string>

#include "harness/io/csv_reader.h"
#include "harness/io/csv_writer.h"
#include "harness/io/jsonl_reader.h"
#include "harness/io/jsonl_writer.h"
#include "temp_dir.h"

using namespace sg;
using sg::test::TempDir;

namespace {

Schema sample_schema() {
  return Schema::parse("id:integer,name:string,price:float,ok:boolean,ts:timestamp");
}

// Rows that exercise the awkward cases: quoting, newlines, NULL vs empty, float precision.
Batch sample_rows() {
  Batch rows;
  rows.push_back(RecordPtr::make({Value::integer(1), Value::string("plain"), Value::floating(0.1),
                                  Value::boolean(true), Value::timestamp(1704164645000)}));
  rows.push_back(
      RecordPtr::make({Value::integer(-2), Value::string("comma, \"quote\"\nnewline"),
                       Value::floating(3.0), Value::boolean(false), Value::timestamp(0)}));
  rows.push_back(RecordPtr::make({Value::null(), Value::string(""), Value::floating(1e300 / 7),
                                  Value::null(), Value::timestamp(-5)}));
  rows.push_back(RecordPtr::make({Value::integer(INT64_MIN), Value::null(), Value::null(),
                                  Value::boolean(true), Value::timestamp(9)}));
  rows.push_back(
      RecordPtr::make({Value::integer(5), Value::string("tab\there \\ \x01 \xC3\xA9"),
                       Value::floating(-2.5e-8), Value::boolean(false), Value::timestamp(7)}));
  // Non-finite floats are values (docs/arithmetic.md): each reads back as itself.
  for (double f : {double{INFINITY}, double{-INFINITY}, double{NAN}, -0.0}) {
    rows.push_back(RecordPtr::make({Value::integer(6), Value::string("x"), Value::floating(f),
                                    Value::null(), Value::timestamp(8)}));
  }
  return rows;
}

void require_same_rows(const Batch& got, const Batch& want) {
  REQUIRE(got.size() == want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    for (size_t k = 0; k < want[i]->size(); ++k) {
      const Value& a = (*got[i])[k];
      const Value& b = (*want[i])[k];
      INFO("row " << i << " column " << k << ": " << a.to_string() << " vs " << b.to_string());
      REQUIRE(a.type() == b.type());
      REQUIRE(compare(a, b) == 0);  // NaN equals NaN here
      if (a.type() == Type::Float) REQUIRE(std::signbit(a.as_float()) == std::signbit(b.as_float()));
    }
  }
}

template <class Reader>
Batch read_back(const std::string& path, const Schema& schema) {
  TextReaderOptions o;
  o.schema = schema;
  o.event_time_column = "";  // the first TIMESTAMP column: ts
  o.on_error = OnError::Fail;
  Reader reader(path, o);
  REQUIRE(reader.schema().to_string() == schema.to_string());
  Batch out;
  while (!reader.read(100, out).end_of_stream) {
  }
  return out;
}

}  // namespace

TEST_CASE("writers: CSV rows round-trip through the CSV reader") {
  TempDir dir;
  std::string path = dir.file("out.csv");
  Batch rows = sample_rows();
  CsvWriter writer(sample_schema(), path);
  writer.write(rows);
  writer.close();
  REQUIRE(writer.rows_written() == rows.size());
  REQUIRE(writer.rows_committed() == rows.size());
  std::string text = TempDir::read(path);
  REQUIRE(text.rfind("id,name,price,ok,ts\n1,plain,0.1,true,1704164645000\n", 0) == 0);
  REQUIRE(text.find("-2,\"comma, \"\"quote\"\"\nnewline\",3.0,false,0\n") != std::string::npos);
  REQUIRE(text.find("\n,\"\",") != std::string::npos);  // NULL id, empty (quoted) name
  require_same_rows(read_back<CsvReader>(path, sample_schema()), rows);
}

TEST_CASE("writers: JSONL rows round-trip through the JSONL reader") {
  TempDir dir;
  std::string path = dir.file("out.jsonl");
  Batch rows = sample_rows();
  JsonlWriter writer(sample_schema(), path);
  writer.write(std::span<const RecordPtr>(rows).first(2));
  writer.commit();
  REQUIRE(writer.rows_committed() == 2);
  writer.write(std::span<const RecordPtr>(rows).subspan(2));
  REQUIRE(writer.rows_committed() == 2);
  writer.close();
  REQUIRE(writer.rows_committed() == rows.size());
  std::string text = TempDir::read(path);
  REQUIRE(
      text.rfind("{\"id\":1,\"name\":\"plain\",\"price\":0.1,\"ok\":true,\"ts\":1704164645000}\n",
                 0) == 0);
  REQUIRE(text.find("\"name\":\"comma, \\\"quote\\\"\\nnewline\",\"price\":3.0,") !=
          std::string::npos);
  REQUIRE(text.find("{\"id\":null,\"name\":\"\",") != std::string::npos);
  REQUIRE(text.find("\\t") != std::string::npos);
  REQUIRE(text.find("\\u0001") != std::string::npos);
  require_same_rows(read_back<JsonlReader>(path, sample_schema()), rows);
}

TEST_CASE("writers: JSONL to a stream, non-finite floats as the strings NaN and Infinity") {
  std::ostringstream out;
  JsonlWriter writer(Schema::parse("x:float"), out);
  Batch rows{RecordPtr::make({Value::floating(NAN)}), RecordPtr::make({Value::floating(2)}),
             RecordPtr::make({Value::floating(INFINITY)}),
             RecordPtr::make({Value::floating(-INFINITY)}), RecordPtr::make({Value::null()})};
  writer.write(rows);
  REQUIRE(out.str().empty());  // buffered until flush/commit
  writer.commit();
  REQUIRE(out.str() ==
          "{\"x\":\"NaN\"}\n{\"x\":2.0}\n{\"x\":\"Infinity\"}\n{\"x\":\"-Infinity\"}\n{\"x\":null}\n");
  writer.close();
}

TEST_CASE("writers: non-finite floats read back as FLOAT without a schema, beside a number") {
  TempDir dir;
  const Schema schema = Schema::parse("x:float");
  Batch rows{RecordPtr::make({Value::floating(NAN)}), RecordPtr::make({Value::floating(-0.5)}),
             RecordPtr::make({Value::floating(-INFINITY)})};
  for (const char* name : {"out.csv", "out.jsonl"}) {
    const std::string path = dir.file(name);
    std::unique_ptr<TextWriter> writer;
    if (std::string(name).ends_with(".csv")) writer = std::make_unique<CsvWriter>(schema, path);
    else writer = std::make_unique<JsonlWriter>(schema, path);
    writer->write(rows);
    writer->close();
    INFO(TempDir::read(path));
    TextReaderOptions o;
    Batch back;
    if (std::string(name).ends_with(".csv")) {
      CsvReader reader(path, o);
      REQUIRE(reader.schema().to_string() == schema.to_string());
      reader.read(10, back);
    } else {
      JsonlReader reader(path, o);
      REQUIRE(reader.schema().to_string() == schema.to_string());
      reader.read(10, back);
    }
    require_same_rows(back, rows);
  }
  // The words alone are not numbers: a column of names stays STRING.
  const std::string names = dir.write("names.csv", "x\nnan\ninf\n");
  REQUIRE(CsvReader(names).schema().to_string() == "x:STRING");
}

TEST_CASE("writers: output appears only on close, by renaming a temporary file") {
  TempDir dir;
  std::string path = dir.file("result.csv");
  Batch rows = sample_rows();
  {
    CsvWriter writer(sample_schema(), path);
    writer.write(rows);
    writer.commit();
    // Committed rows are in the temporary file, not yet under the real name.
    REQUIRE(dir.list().size() == 1);
    REQUIRE(dir.list()[0].rfind("result.csv.tmp-", 0) == 0);
    writer.close();
    REQUIRE(dir.list() == std::vector<std::string>{"result.csv"});
  }
  std::string complete = TempDir::read(path);
  {
    // A job that fails before close() leaves the previous output untouched and no debris.
    CsvWriter failed(sample_schema(), path);
    failed.write(std::span<const RecordPtr>(rows).first(1));
    failed.commit();
  }
  REQUIRE(dir.list() == std::vector<std::string>{"result.csv"});
  REQUIRE(TempDir::read(path) == complete);
}

TEST_CASE("writers: I/O errors name the file and the reason") {
  TempDir dir;
  std::string path = dir.file("no/such/dir/out.jsonl");
  try {
    JsonlWriter writer(Schema::parse("a:integer"), path);
    FAIL("expected SinkError");
  } catch (const SinkError& e) {
    REQUIRE(std::string(e.what()) == path +
                                         ": cannot create a temporary file next to it: No such "
                                         "file or directory");
  }
  JsonlWriter writer(Schema::parse("a:integer,b:integer"), dir.file("w.jsonl"));
  Batch narrow{RecordPtr::make({Value::integer(1)})};
  REQUIRE_THROWS_WITH(
      writer.write(narrow),
      dir.file("w.jsonl") + ": row 1 has 1 values but the output schema has 2 (a, b)");
}

TEST_CASE("writers: bytes that are not UTF-8 are written as U+FFFD, so the output stays valid") {
  const Schema schema = Schema::parse("s:string");
  const std::string bad = "caf\xE9 \xFF\xFE ok \xC3\xA9";  // Latin-1 and stray bytes
  const std::string want = "caf\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD ok \xC3\xA9";
  Batch rows{RecordPtr::make({Value::string(bad)})};
  std::ostringstream jsonl;
  JsonlWriter json_writer(schema, jsonl);
  json_writer.write(rows);
  json_writer.close();
  REQUIRE(jsonl.str() == "{\"s\":\"" + want + "\"}\n");
  std::ostringstream csv;
  CsvWriter csv_writer(schema, csv);
  csv_writer.write(rows);
  csv_writer.close();
  REQUIRE(csv.str() == "s\n" + want + "\n");
}
