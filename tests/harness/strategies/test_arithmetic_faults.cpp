// An integer overflow in the SQL engine stops every strategy as an injected engine fault does:
// ok == false, the overflow's message naming its record, no thread left behind, and committed
// counts that never include the failing record.
#include <catch2/catch.hpp>

#include <limits>

#include "harness/strategies/job_parts.h"
#include "strategy_test_support.h"

using namespace sg;
using namespace sg::test;

TEST_CASE("arithmetic faults: every strategy stops cleanly at an integer overflow") {
  constexpr size_t kRows = 600, kBad = 250;
  auto data = std::make_shared<Dataset>(*make_trades(kRows));
  RecordPtr& bad = data->records[kBad];
  bad = RecordPtr::make({(*bad)[0], Value::integer(std::numeric_limits<int64_t>::max()), (*bad)[2]},
                        bad->meta());
  // A projection (any partitioning), and a GROUP BY key computed while routing by key.
  for (const char* sql : {"SELECT symbol, price + 1 AS p FROM trades",
                          "SELECT price + 1 AS p, COUNT(*) AS n FROM trades GROUP BY price + 1"}) {
    JobInputs in;
    in.dataset = data;
    in.query = CompiledQuery::compile(sql, data->schema);
    for (const StrategyInfo& info : strategies()) {
      for (int partitions : {1, 2}) {
        JobConfig c;
        c.batch_size = 100;
        c.partitions = partitions;
        const int threads_before = thread_count();
        const RunResult r = run_named(info.name, c, in);
        INFO(sql << ": " << info.name << " x" << partitions << ": " << r.error);
        if (r.skipped) continue;
        REQUIRE_FALSE(r.ok);
        REQUIRE_THAT(r.error, Catch::Contains("integer overflow in 'price + 1': "
                                              "9223372036854775807 + 1 is outside the INTEGER "
                                              "range"));
        REQUIRE(threads_back_to(threads_before));
        REQUIRE(r.rows_committed <= r.rows_written);
        // The failing record is never committed. One partition commits a prefix, so nothing
        // past it; with two, the other partition may commit its later records before it hears
        // of the failure (a CI run under TSan saw 400 committed), so only the missing record
        // itself is certain.
        if (partitions == 1)
          REQUIRE(r.records_committed <= kBad);
        else
          REQUIRE(r.records_committed < kRows);
      }
    }
  }
}
