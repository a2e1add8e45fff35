// The three sources (harness/job/source_kind.h) under every strategy: the output equals
// direct's on the lent source, every record and row is accounted for, and each source really
// hands out what it says (lent views, shared records, fresh records).
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "engine/query.h"
#include "harness/strategies/source_readers.h"
#include "strategy_test_support.h"

using namespace sg;
using namespace sg::test;

namespace {

const char* const kQueries[] = {
    // filter + projection (stateless, Any)
    "SELECT symbol, price * 2 AS doubled, flag FROM trades WHERE quantity > 20",
    // GROUP BY, continuous (ByKey)
    "SELECT trader, symbol, COUNT(*) AS n, AVG(price) AS avg_price, SUM(quantity) AS q "
    "FROM trades GROUP BY trader, symbol",
    // ROWS window with PARTITION BY (ByKey)
    "SELECT symbol, price, AVG(price) OVER (ROWS WINDOW BUFFER 10 ROWS PARTITION BY symbol "
    "ORDER BY trade_time) AS moving_avg FROM trades",
    // tumbling, EMIT CHANGES
    "SELECT trader, COUNT(*) AS n, SUM(quantity) AS q FROM trades GROUP BY trader "
    "WINDOW TUMBLING (trade_time, INTERVAL '1' MINUTE) EMIT CHANGES",
};

// Every value type the log encodes: long (heap) and short (inline) strings, NULLs, booleans.
SharedDataset trades(size_t rows) {
  auto ds = std::make_shared<Dataset>();
  ds->schema = Schema::parse(
      "symbol:string,price:float,quantity:integer,trader:string,flag:boolean,"
      "trade_time:timestamp");
  for (size_t i = 0; i < rows; ++i) {
    RecordMeta meta;
    meta.offset = static_cast<int64_t>(i);
    meta.event_time = 1'700'000'000'000 + static_cast<int64_t>(i) * 1000;
    meta.partition = static_cast<int32_t>(i % 3);
    const std::string trader = i % 4 == 0 ? "a trader with a long name " + std::to_string(i % 5)
                                          : "T" + std::to_string(i % 3);
    ds->records.push_back(RecordPtr::make(
        {Value::string("SYM" + std::to_string(i * 7 % 5)),
         Value::floating(100.0 + static_cast<double>(i * 13 % 50) / 4),
         i % 9 == 0 ? Value::null() : Value::integer(static_cast<int64_t>(i * 11 % 40)),
         Value::string(trader), Value::boolean(i % 2 == 0), Value::timestamp(meta.event_time)},
        meta));
  }
  return ds;
}

constexpr SourceKind kSources[] = {SourceKind::Lent, SourceKind::Shared, SourceKind::Materialized};

}  // namespace

TEST_CASE("sources: every strategy on every source gives direct's output on the lent source") {
  const SharedDataset data = trades(700);
  for (const char* sql : kQueries) {
    INFO(sql);
    JobInputs inputs;
    inputs.query = CompiledQuery::compile(sql, data->schema);
    inputs.dataset = data;
    const RunResult expected = run_named("direct", JobConfig{}, inputs);
    REQUIRE(expected.ok);
    REQUIRE(expected.rows_written > 0);
    for (SourceKind source : kSources) {
      for (const StrategyInfo& strategy : strategies()) {
        for (int partitions : {1, 2}) {
          for (StreamingMode mode : {StreamingMode::Eager, StreamingMode::Spawnless}) {
            if (mode != StreamingMode::Eager && std::string(strategy.name) != "streaming") continue;
            JobConfig config;
            config.source = source;
            config.partitions = partitions;
            config.streaming = mode;
            config.batch_size = 64;
            config.queue_capacity = 128;
            const RunResult r = run_named(strategy.name, config, inputs);
            INFO(strategy.name << " source " << source_kind_name(source) << " partitions "
                               << partitions << " " << streaming_mode_name(mode) << ": "
                               << r.error);
            if (r.skipped) continue;
            require_conserved(r);
            REQUIRE(r.records_read == data->records.size());
            REQUIRE(r.engine.late_records == expected.engine.late_records);
            REQUIRE(r.digest == expected.digest);
          }
        }
      }
    }
  }
}

TEST_CASE("sources: lent lends, shared counts, materialized makes fresh records") {
  const SharedDataset data = trades(50);
  for (int partitions : {1, 3}) {
    INFO("partitions " << partitions);
    const ReaderFactory lent =
        source_reader_factory(SourceKind::Lent, data, Partitioning::Any, nullptr);
    const ReaderFactory shared =
        source_reader_factory(SourceKind::Shared, data, Partitioning::Any, nullptr);
    const ReaderFactory materialized =
        source_reader_factory(SourceKind::Materialized, data, Partitioning::Any, nullptr);
    size_t total = 0;
    for (int p = 0; p < partitions; ++p) {
      std::unique_ptr<DataReader> l = lent(p, partitions);
      std::unique_ptr<DataReader> s = shared(p, partitions);
      std::unique_ptr<DataReader> m = materialized(p, partitions);
      const std::optional<ReadView> view = l->read_view(1000);
      REQUIRE(view);
      REQUIRE(view->end_of_stream);
      REQUIRE_FALSE(s->read_view(1000));
      REQUIRE_FALSE(m->read_view(1000));
      std::vector<uint32_t> counts_before;
      for (const RecordPtr& r : view->records) counts_before.push_back(r->use_count());
      Batch from_shared, from_log;
      REQUIRE(s->read(1000, from_shared).end_of_stream);
      REQUIRE(m->read(1000, from_log).end_of_stream);
      REQUIRE(from_shared.size() == view->records.size());
      REQUIRE(from_log.size() == view->records.size());
      for (size_t i = 0; i < view->records.size(); ++i) {
        const RecordPtr& original = view->records[i];
        REQUIRE(from_shared[i].get() == original.get());         // the dataset's own record
        REQUIRE(original->use_count() == counts_before[i] + 1);  // ... one more count on it
        REQUIRE(from_log[i].get() != original.get());            // a fresh one, owned once
        REQUIRE(from_log[i]->use_count() == 1);
        REQUIRE(from_log[i]->row_hash() == original->row_hash());
        REQUIRE(from_log[i]->offset() == original->offset());
      }
      total += from_log.size();
    }
    REQUIRE(total == data->records.size());
  }
}

TEST_CASE("sources: names parse back, and unknown ones are refused") {
  for (SourceKind s : kSources) REQUIRE(parse_source_kind(source_kind_name(s)) == s);
  REQUIRE_FALSE(parse_source_kind("kafka"));
  REQUIRE(source_kind_names() == "lent, shared, materialized");
  REQUIRE(JobConfig{}.source == SourceKind::Lent);  // the instruction gate's cells stay lent
  JobConfig config;
  config.source = SourceKind::Materialized;
  REQUIRE(config.to_json()["source"] == "materialized");
}

TEST_CASE("sources: factories alive at once over one dataset split it by their own query") {
  const SharedDataset data = trades(300);
  // Two key-hash splits of the same data: by symbol, and by trader.
  const auto by_symbol = CompiledQuery::compile(
      "SELECT symbol, COUNT(*) AS n FROM trades GROUP BY symbol", data->schema);
  const auto by_trader = CompiledQuery::compile(
      "SELECT trader, COUNT(*) AS n FROM trades GROUP BY trader", data->schema);
  std::vector<ReaderFactory> materialized, lent;
  for (const auto& query : {by_symbol, by_trader}) {
    materialized.push_back(
        source_reader_factory(SourceKind::Materialized, data, Partitioning::ByKey, query));
    lent.push_back(source_reader_factory(SourceKind::Lent, data, Partitioning::ByKey, query));
  }
  std::vector<std::vector<int64_t>> lent_offsets;
  for (size_t q = 0; q < 2; ++q) {
    INFO("query " << q);
    for (int p = 0; p < 2; ++p) {
      std::unique_ptr<DataReader> from_log = materialized[q](p, 2);
      std::unique_ptr<DataReader> from_data = lent[q](p, 2);
      Batch decoded;
      REQUIRE(from_log->read(1000, decoded).end_of_stream);
      const std::optional<ReadView> view = from_data->read_view(1000);
      REQUIRE(decoded.size() == view->records.size());
      std::vector<int64_t> offsets;
      for (size_t i = 0; i < decoded.size(); ++i) {
        REQUIRE(decoded[i]->offset() == view->records[i]->offset());
        offsets.push_back(decoded[i]->offset());
      }
      if (p == 0) lent_offsets.push_back(offsets);
    }
  }
  REQUIRE(lent_offsets[0] != lent_offsets[1]);  // the two splits differ, so the check has teeth
}
