#include <catch2/catch.hpp>

#include "engine/physical_projection.h"
#include "query_test_util.h"

using namespace sg;
using namespace sg::test;
using Rows = std::vector<std::string>;

namespace {
const Schema kSchema = Schema::parse("id:integer,value:integer,name:string");
std::vector<RecordPtr> inputs() {
  return {row({I(1), I(60), S("x")}, 100, 5), row({I(2), I(40), S("y")}, 200, 6),
          row({I(3), I(51), S("z")}, 300, 7)};
}
}  // namespace

TEST_CASE("projection: the seed's `SELECT id, value FROM test WHERE value > 50`") {
  const Schema test = Schema::parse("id:integer,value:integer");
  const std::vector<RecordPtr> in = {row({I(1), I(60)}), row({I(2), I(50)}), row({I(3), I(99)})};
  const QueryRun run = run_query("SELECT id, value FROM test WHERE value > 50", test, in);
  REQUIRE(run.rows() == Rows{"1|60", "3|99"});
  REQUIRE(run.out[1].get() == in[2].get());  // every column unchanged: the input itself
}

TEST_CASE(
    "projection: reordered, renamed or computed columns build new rows with the input's "
    "metadata") {
  const auto in = inputs();
  const QueryRun run =
      run_query("SELECT name, id * 10 AS tens, 'lit' AS l, NULL FROM t", kSchema, in);
  REQUIRE(run.rows() == Rows{"x|10|lit|NULL", "y|20|lit|NULL", "z|30|lit|NULL"});
  REQUIRE(run.out[0].get() != in[0].get());
  REQUIRE(run.out[2]->offset() == 7);
  REQUIRE(run.out[2]->event_time() == 300);
  REQUIRE(run.out[2]->key_hash() == 0);
  REQUIRE(run.query->output_schema().to_string() == "name:STRING,tens:INTEGER,l:STRING,NULL:NULL");
  // A subset of the columns is a new row too.
  const QueryRun subset = run_query("SELECT id, value FROM t", kSchema, in);
  REQUIRE(subset.out[0].get() != in[0].get());
  REQUIRE(subset.rows()[0] == "1|60");
}

TEST_CASE("projection: SELECT * shares the input, columns resolve case-insensitively") {
  const auto in = inputs();
  const QueryRun star = run_query("SELECT * FROM t", kSchema, in);
  REQUIRE(star.out.size() == 3);
  REQUIRE(star.out[0].get() == in[0].get());
  REQUIRE(star.query->output_schema().to_string() == kSchema.to_string());
  const QueryRun upper = run_query("SELECT ID, Value, NAME FROM t", kSchema, in);
  REQUIRE(upper.out[0].get() == in[0].get());
  REQUIRE(upper.query->output_schema().to_string() == kSchema.to_string());
  const QueryRun twice = run_query("SELECT *, id FROM t", kSchema, in);
  REQUIRE(twice.rows()[1] == "2|40|y|2");
}

TEST_CASE("projection: the operator copies reference outputs and evaluates the others") {
  std::vector<BoundExprPtr> outputs;
  outputs.push_back(BoundExpr::aggregate(1, Type::Integer));
  outputs.push_back(BoundExpr::key(0, Type::String));
  outputs.push_back(BoundExpr::column(0, Type::Integer));
  outputs.push_back(BoundExpr::binary(ExprOp::Add, Type::Integer,
                                      BoundExpr::column(0, Type::Integer),
                                      BoundExpr::aggregate(0, Type::Integer)));
  const PhysicalProjection projection(outputs);
  const Value columns[] = {Value::integer(4)};
  const Value keys[] = {Value::string("k")};
  const Value aggs[] = {Value::integer(10), Value::integer(20)};
  RecordMeta meta;
  meta.offset = 42;
  const RecordPtr out = projection.project(EvalRow{columns, keys, aggs}, meta);
  REQUIRE(row_text(*out) == "20|k|4|14");
  REQUIRE(out->offset() == 42);
}
