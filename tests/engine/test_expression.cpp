#include <catch2/catch.hpp>

#include <limits>

#include "engine/expression.h"
#include "engine/arithmetic_error.h"
#include "query_test_util.h"

using namespace sg;
using namespace sg::test;
using Rows = std::vector<std::string>;

namespace {
const Schema kSchema = Schema::parse("a:integer,b:integer,x:float,s:string,t:timestamp,f:boolean");

// Evaluates a SELECT list over one row and returns the output values as text.
std::string eval_sql(const std::string& select_list, const RecordPtr& input) {
  const auto rows = run_rows("SELECT " + select_list + " FROM t", kSchema, {input});
  REQUIRE(rows.size() == 1);
  return rows[0];
}

RecordPtr sample() {
  return row({I(7), I(-2), F(2.5), S("abc"), T(1000), B(true)});
}
RecordPtr nulls() {
  return row({N(), N(), N(), N(), N(), N()});
}
}  // namespace

TEST_CASE("expression: integer arithmetic truncates toward zero, by zero is NULL") {
  REQUIRE(eval_sql("a / 2, -a / 2, a % 3, -a % 3, a % -3, a / b, a % b", sample()) ==
          "3|-3|1|-1|1|-3|1");
  REQUIRE(eval_sql("a / 0, a % 0, x / 0, x / 0.0, x % 0", sample()) == "NULL|NULL|NULL|NULL|NULL");
  REQUIRE(eval_sql("a + b * 3, (a + b) * 3, a - b - 1", sample()) == "1|15|8");
}

TEST_CASE("expression: any FLOAT operand makes FLOAT arithmetic") {
  REQUIRE(eval_sql("a / 2.0, x * 2, x + a, x % 2, -x", sample()) == "3.5|5|9.5|0.5|-2.5");
  const auto q = CompiledQuery::compile("SELECT a / 2, a / 2.0, t + 5, t - t, -t FROM t", kSchema);
  REQUIRE(q->output_schema().to_string() ==
          "a / 2:INTEGER,a / 2.0:FLOAT,t + 5:TIMESTAMP,t - t:INTEGER,-t:INTEGER");
}

TEST_CASE("expression: NULL propagates through arithmetic and comparisons") {
  REQUIRE(eval_sql("a + 1, x * 2, a = 1, s < 'b', -a, NOT f", nulls()) ==
          "NULL|NULL|NULL|NULL|NULL|NULL");
  REQUIRE(eval_sql("a IS NULL, a IS NOT NULL, NULL + 1, NULL = NULL", nulls()) ==
          "true|false|NULL|NULL");
}

TEST_CASE("expression: three-valued AND / OR / NOT") {
  // f is TRUE in sample(), NULL in nulls().
  REQUIRE(eval_sql("f AND TRUE, f AND FALSE, f OR FALSE, NOT f", sample()) ==
          "true|false|true|false");
  REQUIRE(eval_sql("f AND TRUE, f AND FALSE, f OR TRUE, f OR FALSE, NOT f", nulls()) ==
          "NULL|false|true|NULL|NULL");
  REQUIRE(eval_sql("FALSE AND f, TRUE OR f, NULL AND NULL", nulls()) == "false|true|NULL");
}

TEST_CASE("expression: comparisons across INTEGER, FLOAT and TIMESTAMP by numeric value") {
  REQUIRE(eval_sql("a = 7.0, a < x, x < a, t = 1000, t > a, a <> 7, a >= 7, a <= 6.99", sample()) ==
          "true|false|true|true|true|false|true|false");
  REQUIRE(eval_sql("s = 'abc', s < 'abd', s > 'ab', f = TRUE", sample()) == "true|true|true|true");
}

TEST_CASE("expression: INT64_MIN over -1 is an error, modulo -1 is 0, never a trap") {
  const Schema one = Schema::parse("a:integer,b:integer");
  const int64_t min = std::numeric_limits<int64_t>::min();
  REQUIRE(run_rows("SELECT a % b FROM t", one, {row({I(min), I(-1)})}) == Rows{"0"});
  REQUIRE_THROWS_AS(run_rows("SELECT a / b FROM t", one, {row({I(min), I(-1)})}), ArithmeticError);
}

TEST_CASE("expression: bound trees evaluate directly and compare structurally") {
  // (columns[0] + 1) > 2.5
  BoundExprPtr e = BoundExpr::binary(
      ExprOp::Gt, Type::Boolean,
      BoundExpr::binary(ExprOp::Add, Type::Integer, BoundExpr::column(0, Type::Integer),
                        BoundExpr::constant(Value::integer(1))),
      BoundExpr::constant(Value::floating(2.5)));
  const Value two = Value::integer(2), one = Value::integer(1);
  REQUIRE(is_true(eval(*e, EvalRow{&two})));
  REQUIRE(!is_true(eval(*e, EvalRow{&one})));
  BoundExprPtr same = BoundExpr::binary(
      ExprOp::Gt, Type::Boolean,
      BoundExpr::binary(ExprOp::Add, Type::Integer, BoundExpr::column(0, Type::Integer),
                        BoundExpr::constant(Value::integer(1))),
      BoundExpr::constant(Value::floating(2.5)));
  REQUIRE(same_expr(*e, *same));
  same->right->literal = Value::integer(2);  // 2 is not the literal 2.5, nor typed alike
  REQUIRE(!same_expr(*e, *same));
  ExprNames names;
  names.columns = {"a"};
  REQUIRE(e->to_string(names) == "((a + 1) > 2.5)");
  // Key and aggregate refs read the row's key and aggregate arrays.
  const Value keys[] = {Value::string("k")};
  const Value aggs[] = {Value::integer(5), Value::integer(9)};
  REQUIRE(eval(*BoundExpr::key(0, Type::String), EvalRow{nullptr, keys, aggs}).as_string() == "k");
  REQUIRE(eval(*BoundExpr::aggregate(1, Type::Integer), EvalRow{nullptr, keys, aggs}).as_int() ==
          9);
}

TEST_CASE("expression: type rules") {
  std::string why;
  REQUIRE(arithmetic_result_type(ExprOp::Add, Type::Integer, Type::Integer, &why) == Type::Integer);
  REQUIRE(arithmetic_result_type(ExprOp::Mul, Type::Integer, Type::Float, &why) == Type::Float);
  REQUIRE(arithmetic_result_type(ExprOp::Add, Type::Null, Type::Float, &why) == Type::Float);
  REQUIRE(arithmetic_result_type(ExprOp::Sub, Type::Timestamp, Type::Integer, &why) ==
          Type::Timestamp);
  REQUIRE(why.empty());
  REQUIRE(arithmetic_result_type(ExprOp::Add, Type::String, Type::Integer, &why) == Type::Null);
  REQUIRE(why == "operator '+' needs numbers, got STRING and INTEGER");
  REQUIRE(comparable(Type::Integer, Type::Timestamp));
  REQUIRE(comparable(Type::Null, Type::String));
  REQUIRE(!comparable(Type::String, Type::Float));
  REQUIRE(!comparable(Type::Boolean, Type::Integer));
}

TEST_CASE("expression: deep nesting up to the parser's limit evaluates") {
  std::string sql = "a";
  for (int i = 0; i < 150; ++i) sql = "(" + sql + " + 1)";
  REQUIRE(eval_sql(sql, sample()) == "157");
}
