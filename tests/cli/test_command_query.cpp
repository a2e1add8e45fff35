#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "../harness/temp_dir.h"
#include "cli/command_query.h"
#include "cli/commands.h"

using namespace sg;
using sg::test::TempDir;

namespace {

struct Run {
  int code;
  std::string out;
  std::string err;
};

Run query(const QueryOptions& o) {
  std::ostringstream out, err;
  int code = run_query_command(o, out, err);
  return {code, out.str(), err.str()};
}

QueryOptions options(const std::string& sql, const std::string& input) {
  QueryOptions o;
  o.sql = sql;
  o.input = input;
  return o;
}

const char* kTrades =
    "id,sym,price,qty\n"
    "1,A,10.5,3\n"
    "2,B,99.0,1\n"
    "3,A,50.25,\n"
    "4,C,7.0,2\n";

}  // namespace

TEST_CASE("query: a filter over CSV prints JSON lines in emission order and a summary") {
  TempDir dir;
  std::string path = dir.write("trades.csv", kTrades);
  Run r =
      query(options("SELECT id, sym, price * 2 AS double_price, qty FROM trades "
                    "WHERE price > 10",
                    path));
  INFO(r.err);
  REQUIRE(r.code == 0);
  REQUIRE(r.out ==
          "{\"id\":1,\"sym\":\"A\",\"double_price\":21.0,\"qty\":3}\n"
          "{\"id\":2,\"sym\":\"B\",\"double_price\":198.0,\"qty\":1}\n"
          "{\"id\":3,\"sym\":\"A\",\"double_price\":100.5,\"qty\":null}\n");
  REQUIRE(r.err == "query: 4 rows in, 3 rows out, 0 late records dropped, 0 rows skipped\n");
}

TEST_CASE("query: GROUP BY over JSONL with EMIT FINAL emits one row per group at the end") {
  TempDir dir;
  std::string path = dir.write("t.jsonl",
                               "{\"sym\": \"A\", \"qty\": 1}\n"
                               "{\"sym\": \"B\", \"qty\": 2}\n"
                               "{\"sym\": \"A\", \"qty\": 3}\n");
  Run r = query(
      options("SELECT sym, COUNT(*) AS n, SUM(qty) AS total FROM t GROUP BY sym EMIT FINAL", path));
  INFO(r.err);
  REQUIRE(r.code == 0);
  REQUIRE(r.out ==
          "{\"sym\":\"A\",\"n\":2,\"total\":4}\n"
          "{\"sym\":\"B\",\"n\":1,\"total\":2}\n");
}

TEST_CASE("query: a tumbling window counts late records in the summary") {
  TempDir dir;
  std::string path = dir.write("w.csv",
                               "ts,k\n"
                               "0,x\n"
                               "1500,x\n"
                               "2500,x\n"
                               "100,x\n");  // its window [0, 1000) closed at 2500
  QueryOptions o = options(
      "SELECT k, COUNT(*) AS n FROM t GROUP BY k WINDOW TUMBLING (ts, INTERVAL '1' SECOND)", path);
  o.schema = "ts:timestamp";
  Run r = query(o);
  INFO(r.err);
  REQUIRE(r.code == 0);
  REQUIRE(r.out == "{\"k\":\"x\",\"n\":1}\n{\"k\":\"x\",\"n\":1}\n{\"k\":\"x\",\"n\":1}\n");
  REQUIRE(r.err == "query: 4 rows in, 3 rows out, 1 late records dropped, 0 rows skipped\n");
}

TEST_CASE("query: a query that does not compile exits 2 with line:column and a caret") {
  TempDir dir;
  std::string path = dir.write("trades.csv", kTrades);
  Run r = query(options("SELECT id,\n       pricee FROM trades", path));
  REQUIRE(r.code == 2);
  REQUIRE(r.out.empty());
  REQUIRE(r.err.rfind("error: 2:8: ", 0) == 0);
  REQUIRE(r.err.find("pricee") != std::string::npos);
  REQUIRE(r.err.find("\n         pricee FROM trades\n         ^\n") != std::string::npos);

  Run syntax = query(options("SELECT id FORM trades", path));
  REQUIRE(syntax.code == 2);
  REQUIRE(syntax.err.rfind("error: 1:", 0) == 0);
  REQUIRE(syntax.err.find("  SELECT id FORM trades\n") != std::string::npos);
}

TEST_CASE("query: a malformed row exits 3 naming file, line and field, unless skipped") {
  TempDir dir;
  std::string path = dir.write("bad.csv",
                               "id,price\n"
                               "1,2.5\n"
                               "2,abc\n"
                               "3,4.5\n");
  QueryOptions o = options("SELECT id FROM t", path);
  o.schema = "price:float";
  Run r = query(o);
  REQUIRE(r.code == 3);
  REQUIRE(r.err ==
          "error: " + path + ":3: field 'price' (column 2): expected FLOAT, found 'abc'\n");

  o.on_error = "skip";
  Run skipped = query(o);
  REQUIRE(skipped.code == 0);
  REQUIRE(skipped.out == "{\"id\":1}\n{\"id\":3}\n");
  REQUIRE(skipped.err ==
          "query: 2 rows in, 2 rows out, 0 late records dropped, 1 rows skipped\n"
          "  skipped: " +
              path + ":3: field 'price' (column 2): expected FLOAT, found 'abc'\n");
}

TEST_CASE("query: --output writes a CSV or JSONL file, published only when complete") {
  TempDir dir;
  std::string path = dir.write("trades.csv", kTrades);
  QueryOptions o = options("SELECT sym, qty FROM trades WHERE qty > 1", path);
  o.output = dir.file("out.csv");
  Run r = query(o);
  REQUIRE(r.code == 0);
  REQUIRE(r.out.empty());
  REQUIRE(TempDir::read(o.output) == "sym,qty\nA,3\nC,2\n");

  // A failing run (bad row under fail) leaves no output file and no temporary file.
  std::string bad = dir.write("bad.csv", "sym,qty\nA,3\nB,x\n");
  QueryOptions failing = options("SELECT sym FROM t", bad);
  failing.schema = "qty:integer";
  failing.output = dir.file("never.jsonl");
  REQUIRE(query(failing).code == 3);
  REQUIRE(dir.list() == std::vector<std::string>{"bad.csv", "out.csv", "trades.csv"});
}

TEST_CASE("query: usage problems exit 1 with a clear message") {
  TempDir dir;
  std::string path = dir.write("data.txt", kTrades);
  Run unknown = query(options("SELECT id FROM t", path));
  REQUIRE(unknown.code == 1);
  REQUIRE(unknown.err == "error: cannot tell the format of '" + path +
                             "' from its extension; give --format csv or --format jsonl\n");

  QueryOptions as_csv = options("SELECT id FROM t", path);
  as_csv.format = "csv";
  REQUIRE(query(as_csv).code == 0);

  QueryOptions bad_schema = options("SELECT id FROM t", dir.write("t.csv", kTrades));
  bad_schema.schema = "id:number";
  Run s = query(bad_schema);
  REQUIRE(s.code == 1);
  REQUIRE(s.err.rfind("error: --schema: schema entry 1 'id:number': unknown type 'number'", 0) ==
          0);

  Run missing = query(options("SELECT id FROM t", dir.file("nope.csv")));
  REQUIRE(missing.code == 3);
  REQUIRE(missing.err ==
          "error: " + dir.file("nope.csv") + ": cannot open: No such file or directory\n");

  QueryOptions bad_output = options("SELECT id FROM t", dir.file("t.csv"));
  bad_output.output = dir.file("out.xml");
  Run o = query(bad_output);
  REQUIRE(o.code == 1);
  REQUIRE(o.err.find("expected a .jsonl, .ndjson, .json or .csv file") != std::string::npos);
}

TEST_CASE("query: the CLI11 subcommand parses flags and reports the exit status") {
  TempDir dir;
  std::string path = dir.write("trades.csv", kTrades);
  std::ostringstream out, err;
  CLI::App app{"test"};
  add_query_command(app, out, err);
  app.parse(std::vector<std::string>{path, "--input", "SELECT id FROM t WHERE qty >= 2", "--sql",
                                     "query"});  // CLI11 takes the arguments in reverse
  REQUIRE(out.str() == "{\"id\":1}\n{\"id\":4}\n");

  CLI::App failing{"test"};
  add_query_command(failing, out, err);
  try {
    failing.parse(
        std::vector<std::string>{path, "--input", "SELECT nope FROM t", "--sql", "query"});
    FAIL("expected CommandExit");
  } catch (const CommandExit& e) {
    REQUIRE(e.code == 2);
  }

  CLI::App bad_flag{"test"};
  add_query_command(bad_flag, out, err);
  REQUIRE_THROWS_AS(bad_flag.parse(std::vector<std::string>{"maybe", "--on-error", path, "--input",
                                                            "SELECT id FROM t", "--sql", "query"}),
                    CLI::ValidationError);
}

TEST_CASE("query: integer overflow stops with the expression, its position, the record and counts") {
  TempDir dir;
  const std::string path = dir.write("t.csv", "id,value\n1,9223372036854775807\n2,1\n");
  const struct {
    const char* sql;
    const char* error;
    const char* line;
  } cases[] = {
      {"SELECT SUM(value) AS s FROM t EMIT FINAL",
       "1:8: integer overflow in 'SUM(value)': the running sum 9223372036854775807 + 1", ":3\n"},
      {"SELECT value + 1 AS v FROM t", "1:14: integer overflow in 'value + 1'", ":2\n"},
      {"SELECT -value * 2 AS v FROM t", "1:15: integer overflow in '-value * 2'", ":2\n"},
  };
  for (const auto& c : cases) {
    QueryOptions o = options(c.sql, path);
    o.output = dir.file("out.jsonl");
    Run r = query(o);
    INFO(r.err);
    REQUIRE(r.code == 1);
    REQUIRE(r.err.rfind(std::string("error: ") + c.error, 0) == 0);
    REQUIRE(r.err.find(std::string("  in the record at ") + path + c.line) != std::string::npos);
    REQUIRE(r.err.find("query: stopped: 2 rows in, 0 rows out\n") != std::string::npos);
    REQUIRE_FALSE(std::filesystem::exists(o.output));  // nothing half-written is published
  }
}

TEST_CASE("query: a JSONL value nested 100,000 deep exits 3 naming the limit, or is skipped") {
  TempDir dir;
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const std::string line = "{\"id\":1,\"value\":" + deep + "}\n";  // the reproducer
  const std::string alone = dir.write("alone.jsonl", line);
  Run r = query(options("SELECT id FROM t", alone));
  REQUIRE(r.code == 3);
  REQUIRE(r.err == "error: " + alone +
                       ":1: JSON nested deeper than the limit of 512 levels at column 528\n");

  const std::string path = dir.write("d.jsonl", "{\"id\":0}\n" + line + "{\"id\":2}\n");
  const std::string message = path + ":2: JSON nested deeper than the limit of 512 levels at column 528";
  QueryOptions o = options("SELECT id FROM t", path);
  r = query(o);
  REQUIRE(r.code == 3);
  REQUIRE(r.err == "error: " + message + "\n");

  o.on_error = "skip";
  Run skipped = query(o);
  REQUIRE(skipped.code == 0);
  REQUIRE(skipped.out == "{\"id\":0}\n{\"id\":2}\n");
  REQUIRE(skipped.err.find("1 rows skipped\n  skipped: " + message + "\n") != std::string::npos);
}

TEST_CASE("query: invalid UTF-8 in a CSV string field comes out as U+FFFD in valid JSON") {
  TempDir dir;
  const std::string path = dir.write("latin1.csv", "id,name\n1,caf\xE9\n2,ok\n");
  Run r = query(options("SELECT id, name FROM t", path));
  INFO(r.err);
  REQUIRE(r.code == 0);
  REQUIRE(r.out == "{\"id\":1,\"name\":\"caf\xEF\xBF\xBD\"}\n{\"id\":2,\"name\":\"ok\"}\n");
  // Valid JSON for a strict parser (nlohmann rejects ill-formed UTF-8) and for our own reader.
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    INFO(line);
    REQUIRE(nlohmann::json::accept(line));
  }
  QueryOptions again = options("SELECT name FROM t WHERE id = 1", dir.write("out.jsonl", r.out));
  REQUIRE(query(again).out == "{\"name\":\"caf\xEF\xBF\xBD\"}\n");
}
