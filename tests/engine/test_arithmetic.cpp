// Checked integer arithmetic and the total order of floats (docs/arithmetic.md): every integer
// result outside INT64 stops the query with an error naming the expression, its line:column and
// the input record; NaN is one value above every number and -0.0 equals 0.0.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "engine/arithmetic_error.h"
#include "query_test_util.h"

using namespace sg;
using namespace sg::test;

namespace {


const Schema kSchema({{"id", Type::Integer}, {"value", Type::Integer}, {"f", Type::Float}});

std::vector<RecordPtr> rows_of(std::initializer_list<int64_t> values) {
  std::vector<RecordPtr> out;
  int64_t offset = 0;
  for (int64_t v : values) out.push_back(row({I(offset + 1), I(v), F(0)}, 0, offset)), ++offset;
  return out;
}

// The error `sql` stops with over `inputs`, run one record at a time and as one batch (the two
// paths of every operator); both must say the same.
std::string overflow_of(std::string_view sql, const std::vector<RecordPtr>& inputs) {
  std::string messages[2];
  for (bool as_batch : {false, true}) {
    try {
      run_query(sql, kSchema, inputs, as_batch);
      FAIL("no error for " << sql << (as_batch ? " (batch)" : ""));
    } catch (const ArithmeticError& e) {
      messages[as_batch] = e.what();
    }
  }
  REQUIRE(messages[0] == messages[1]);
  return messages[0];
}

}  // namespace

TEST_CASE("arithmetic: the issue's examples stop with the expression, its position and record") {
  const auto data = rows_of({kMax, 1});
  CHECK(overflow_of("SELECT SUM(value) AS s FROM t EMIT FINAL", data) ==
        "1:8: integer overflow in 'SUM(value)': the running sum 9223372036854775807 + 1 is "
        "outside the INTEGER range (input record at offset 1)");
  CHECK(overflow_of("SELECT value + 1 AS v FROM t", data) ==
        "1:14: integer overflow in 'value + 1': 9223372036854775807 + 1 is outside the INTEGER "
        "range (input record at offset 0)");
  CHECK(overflow_of("SELECT -value * 2 AS v FROM t", data) ==
        "1:15: integer overflow in '-value * 2': -9223372036854775807 * 2 is outside the "
        "INTEGER range (input record at offset 0)");
  CHECK(overflow_of("SELECT\n  value - 1 AS v FROM t", rows_of({0, kMin})) ==
        "2:9: integer overflow in 'value - 1': -9223372036854775808 - 1 is outside the INTEGER "
        "range (input record at offset 1)");
}

TEST_CASE("arithmetic: every integer operator and running sum is checked") {
  const auto min = rows_of({kMin});
  CHECK_THAT(overflow_of("SELECT -value AS v FROM t", min),
             Catch::Contains("'-value': -(-9223372036854775808)"));
  CHECK_THAT(overflow_of("SELECT value / -1 AS v FROM t", min),
             Catch::Contains("-9223372036854775808 / -1"));
  CHECK_THAT(overflow_of("SELECT value * value AS v FROM t", rows_of({1ll << 32})),
             Catch::Contains("4294967296 * 4294967296"));
  CHECK_THAT(overflow_of("SELECT AVG(value) AS a FROM t EMIT FINAL", rows_of({kMin, -1})),
             Catch::Contains("'AVG(value)': the running sum -9223372036854775808 + -1"));
  CHECK_THAT(overflow_of("SELECT id % 1 AS k, SUM(value) AS s FROM t GROUP BY id % 1 EMIT CHANGES",
                         rows_of({kMax, kMax})),
             Catch::Contains("offset 1"));
  CHECK_THAT(overflow_of("SELECT SUM(value + 0) AS s FROM t EMIT FINAL", rows_of({kMax, 1})),
             Catch::Contains("'SUM(value + 0)'"));
  CHECK_THAT(overflow_of("SELECT SUM(value) OVER (ROWS WINDOW BUFFER 2 ROWS) AS s "
                         "FROM t",
                         rows_of({kMax, 1})),
             Catch::Contains("offset 1"));
  CHECK_THAT(overflow_of("SELECT SUM(value) AS s FROM t WINDOW TUMBLING (INTERVAL '1' SECOND) EMIT FINAL",
                         rows_of({kMax, 1})),
             Catch::Contains("the running sum 9223372036854775807 + 1"));
  // An expression over a group's result has no input record to name.
  CHECK(overflow_of("SELECT MAX(value) + 1 AS m FROM t EMIT FINAL", rows_of({kMax})) ==
        "1:19: integer overflow in 'MAX(value) + 1': 9223372036854775807 + 1 is outside the "
        "INTEGER range");
}

TEST_CASE("arithmetic: results at the edges of INT64 are exact, not errors") {
  CHECK(run_rows("SELECT value - 1 AS a, value % -1 AS b, value / 1 AS c FROM t", kSchema,
                 rows_of({kMin + 1})) ==
        std::vector<std::string>{"-9223372036854775808|0|-9223372036854775807"});
  CHECK(run_rows("SELECT value % -1 AS b, value / 2 AS c, value / 0 AS d FROM t", kSchema,
                 rows_of({kMin})) == std::vector<std::string>{"0|-4611686018427387904|NULL"});
  CHECK(run_rows("SELECT SUM(value) AS s FROM t EMIT FINAL", kSchema, rows_of({kMax, -1, 1})) ==
        std::vector<std::string>{"9223372036854775807"});
  // A running sum that leaves INT64 stops the query even if later rows would bring it back.
  CHECK_THROWS_AS(run_rows("SELECT SUM(value) AS s FROM t EMIT FINAL", kSchema,
                           rows_of({kMax, 1, -1})),
                  ArithmeticError);
  CHECK(run_rows("SELECT -value AS v FROM t", kSchema, rows_of({kMax})) ==
        std::vector<std::string>{"-9223372036854775807"});
}

TEST_CASE("arithmetic: NaN is above every number and -0.0 equals 0.0") {
  const Schema s({{"f", Type::Float}});
  const std::vector<RecordPtr> in = {row({F(1.5)}), row({F(NAN)}), row({F(INFINITY)}),
                                     row({F(-0.0)}), row({F(0.0)}), row({F(-NAN)}),
                                     row({F(-INFINITY)})};
  CHECK(run_rows("SELECT MIN(f) AS lo, MAX(f) AS hi FROM t EMIT FINAL", s, in) ==
        std::vector<std::string>{"-inf|nan"});
  // One group for both zeros and one for every NaN.
  CHECK(run_rows("SELECT f, COUNT(*) AS n FROM t GROUP BY f EMIT FINAL", s, in) ==
        std::vector<std::string>{"1.5|1", "nan|2", "inf|1", "-0|2", "-inf|1"});
  CHECK(run_rows("SELECT f FROM t WHERE f > 1e308", s, in) ==
        std::vector<std::string>{"nan", "inf", "nan"});
  CHECK(run_rows("SELECT f = f AS same, f > 0.0 + f * 0 AS up FROM t WHERE f <> f * 1", s, in) ==
        std::vector<std::string>{});
  CHECK(compare(F(NAN), F(INFINITY)) == 1);
  CHECK(compare(F(NAN), F(-NAN)) == 0);
  CHECK(compare(F(-0.0), I(0)) == 0);
  CHECK(F(NAN).hash() == F(-NAN).hash());
  CHECK(F(-0.0).hash() == F(0.0).hash());
}
