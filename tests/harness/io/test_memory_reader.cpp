#include <catch2/catch.hpp>

#include <set>

#include "harness/io/memory_reader.h"
#include "harness/strategies/job_parts.h"
#include "harness/strategies/partition_split.h"
#include "strategy_test_support.h"

using namespace sg;
using namespace sg::test;

TEST_CASE("memory reader: shares records and announces the end with the last batch") {
  const SharedDataset data = make_trades(10);
  MemoryReader reader(data);
  Batch out;
  ReadResult r = reader.read(4, out);
  REQUIRE(r.count == 4);
  REQUIRE_FALSE(r.end_of_stream);
  REQUIRE(out[0].get() == data->records[0].get());  // the same record, not a copy
  reader.commit();
  r = reader.read(4, out);
  REQUIRE(r.count == 4);
  REQUIRE(reader.records_committed() == 4);
  r = reader.read(4, out);
  REQUIRE(r.count == 2);
  REQUIRE(r.end_of_stream);
  REQUIRE(reader.records_read() == 10);
  REQUIRE(out.size() == 10);
  // After the end: nothing more, still the end.
  r = reader.read(4, out);
  REQUIRE(r.count == 0);
  REQUIRE(r.end_of_stream);
}

TEST_CASE("memory reader: an empty dataset ends on the first read") {
  MemoryReader reader(std::make_shared<Dataset>());
  Batch out;
  const ReadResult r = reader.read(100, out);
  REQUIRE(r.count == 0);
  REQUIRE(r.end_of_stream);
}

TEST_CASE("partition split: key hash keeps every key in one partition, in order") {
  const SharedDataset data = make_trades(1000, 13);
  const auto parts =
      split_dataset(*data, 4, SplitMode::KeyHash, [](const Record& r) { return r[0].hash(); });
  REQUIRE(parts.size() == 4);
  size_t total = 0;
  std::map<std::string, int> home;
  for (int p = 0; p < 4; ++p) {
    int64_t last_offset = -1;
    for (const RecordPtr& r : parts[static_cast<size_t>(p)]->records) {
      const std::string key(r->operator[](0).as_string());
      auto [it, inserted] = home.emplace(key, p);
      REQUIRE(it->second == p);
      REQUIRE(r->offset() > last_offset);  // stream order kept
      last_offset = r->offset();
    }
    total += parts[static_cast<size_t>(p)]->records.size();
  }
  REQUIRE(total == 1000);
  REQUIRE(home.size() == 13);
}

TEST_CASE("partition split: round robin deals records in turn") {
  const SharedDataset data = make_trades(10);
  const auto parts = split_dataset(*data, 3, SplitMode::RoundRobin);
  REQUIRE(parts[0]->records.size() == 4);
  REQUIRE(parts[1]->records.size() == 3);
  REQUIRE(parts[2]->records.size() == 3);
  REQUIRE(parts[1]->records[0]->offset() == 1);
}

TEST_CASE("memory reader factory: partition p of n, split by the query's partitioning") {
  const SharedDataset data = make_trades(500, 5);
  auto query = test_query(TestQueryKind::RunningCount);
  ReaderFactory factory = memory_reader_factory(data, Partitioning::ByKey, query);
  std::set<std::string> seen_keys[2];
  size_t total = 0;
  for (int p = 0; p < 2; ++p) {
    auto reader = factory(p, 2);
    Batch out;
    while (!reader->read(64, out).end_of_stream) {
    }
    for (const RecordPtr& r : out) seen_keys[p].insert(std::string((*r)[0].as_string()));
    total += out.size();
  }
  REQUIRE(total == 500);
  for (const std::string& k : seen_keys[0]) REQUIRE(seen_keys[1].count(k) == 0);
  auto whole = factory(0, 1);
  Batch out;
  REQUIRE(whole->read(1000, out).count == 500);
}
