#include <catch2/catch.hpp>

#include "engine/physical_filter.h"
#include "query_test_util.h"

using namespace sg;
using namespace sg::test;
using Rows = std::vector<std::string>;

namespace {
const Schema kOrders =
    Schema::parse("order_id:integer,customer_id:integer,order_date:timestamp,total_amount:float");

std::vector<RecordPtr> orders() {
  return {row({I(1), I(10), T(1000), F(50.0)}), row({I(2), I(11), T(2000), F(150.5)}),
          row({I(3), I(10), T(3000), N()}), row({I(4), I(12), T(4000), F(100.0)}),
          row({I(5), N(), T(5000), F(101.0)})};
}
}  // namespace

TEST_CASE("filter: the seed's scenario 0 keeps rows over 100 and shares the input records") {
  const auto inputs = orders();
  const QueryRun run = run_query(
      "SELECT order_id, customer_id, order_date, total_amount FROM orders WHERE total_amount > "
      "100",
      kOrders, inputs);
  REQUIRE(run.rows() == Rows{"2|11|2000|150.5", "5|NULL|5000|101"});
  REQUIRE(run.out[0].get() == inputs[1].get());  // the same record, not a copy
  REQUIRE(run.stats.records_in == 5);
  REQUIRE(run.stats.records_out == 2);
}

TEST_CASE("filter: a literal on the left and integer literals against a float column") {
  REQUIRE(run_rows("SELECT order_id FROM orders WHERE 100 <= total_amount", kOrders, orders()) ==
          Rows{"2", "4", "5"});
  REQUIRE(run_rows("SELECT order_id FROM orders WHERE total_amount = 100", kOrders, orders()) ==
          Rows{"4"});
  REQUIRE(run_rows("SELECT order_id FROM orders WHERE order_id <> 3", kOrders, orders()) ==
          Rows{"1", "2", "4", "5"});
  REQUIRE(run_rows("SELECT order_id FROM orders WHERE total_amount < 100.5", kOrders, orders()) ==
          Rows{"1", "4"});
}

TEST_CASE("filter: NULL conditions drop the row, three-valued AND/OR decide where they can") {
  // customer_id of row 5 is NULL: `NULL = 10` is unknown, so only OR with TRUE keeps it.
  REQUIRE(run_rows("SELECT order_id FROM orders WHERE customer_id = 10", kOrders, orders()) ==
          Rows{"1", "3"});
  REQUIRE(run_rows("SELECT order_id FROM orders WHERE customer_id = 10 OR order_id = 5", kOrders,
                   orders()) == Rows{"1", "3", "5"});
  REQUIRE(run_rows("SELECT order_id FROM orders WHERE NOT (customer_id = 10)", kOrders, orders()) ==
          Rows{"2", "4"});
  REQUIRE(run_rows("SELECT order_id FROM orders WHERE total_amount IS NULL", kOrders, orders()) ==
          Rows{"3"});
  REQUIRE(run_rows("SELECT order_id FROM orders WHERE customer_id IS NOT NULL AND total_amount "
                   "> 60",
                   kOrders, orders()) == Rows{"2", "4"});
  REQUIRE(run_rows("SELECT order_id FROM orders WHERE NULL", kOrders, orders()).empty());
  REQUIRE(run_rows("SELECT order_id FROM orders WHERE TRUE", kOrders, orders()).size() == 5);
}

TEST_CASE("filter: the column-vs-number fast path is chosen only for that shape") {
  const auto q = CompiledQuery::compile("SELECT * FROM orders WHERE total_amount > 100", kOrders);
  REQUIRE(q->explain().find("column vs number") != std::string::npos);
  const auto g =
      CompiledQuery::compile("SELECT * FROM orders WHERE total_amount > customer_id", kOrders);
  REQUIRE(g->explain().find("[general]") != std::string::npos);
  // A timestamp compared with an integer literal takes the fast path too.
  REQUIRE(run_rows("SELECT order_id FROM orders WHERE order_date >= 4000", kOrders, orders()) ==
          Rows{"4", "5"});
}

TEST_CASE("filter: empty input gives no rows and batch processing matches per-record") {
  REQUIRE(run_rows("SELECT * FROM orders WHERE total_amount > 100", kOrders, {}).empty());
  const auto inputs = orders();
  const char* sql = "SELECT order_id, total_amount * 2 AS doubled FROM orders WHERE order_id > 1";
  REQUIRE(run_query(sql, kOrders, inputs, true).rows() == run_query(sql, kOrders, inputs).rows());
}
