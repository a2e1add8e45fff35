// The seed's end of stream (N empty reads, a sleep after each but the last) as a reader option:
// the polls it makes, that a non-empty read resets the count, that nothing is lost, and that the
// strategies reading through a reader still reproduce direct's output with it.
#include <catch2/catch.hpp>

#include <deque>

#include <nlohmann/json.hpp>

#include "harness/io/empty_reads_end_reader.h"
#include "harness/io/memory_reader.h"
#include "strategy_test_support.h"

using namespace sg;
using namespace sg::test;

namespace {

// Hands out the scripted counts of records one read at a time (0: an empty read of a source
// that has not ended), announcing its end with the last count. Cannot lend (no read_view).
class ScriptedReader final : public DataReader {
 public:
  ScriptedReader(SharedDataset data, std::deque<size_t> counts)
      : data_(std::move(data)), counts_(std::move(counts)) {}
  ReadResult read(size_t, Batch& out) override {
    ++calls;
    if (counts_.empty()) return {0, true};
    const size_t n = counts_.front();
    counts_.pop_front();
    for (size_t i = 0; i < n; ++i) out.push_back(data_->records[position_++]);
    return {n, counts_.empty()};
  }
  void commit() override {}
  uint64_t records_read() const override { return position_; }
  uint64_t records_committed() const override { return position_; }
  int calls = 0;

 private:
  SharedDataset data_;
  std::deque<size_t> counts_;
  size_t position_ = 0;
};

constexpr EmptyReadsEnd kNoSleep{3, std::chrono::milliseconds(0)};

}  // namespace

TEST_CASE("empty-reads end: the stream ends after N empty reads past the data, N-1 sleeps") {
  const SharedDataset data = make_trades(10);
  for (int n : {1, 3, 5}) {
    EmptyReadsEndReader reader(std::make_unique<MemoryReader>(data),
                               {n, std::chrono::milliseconds(0)});
    Batch out;
    REQUIRE(reader.read(4, out).count == 4);
    REQUIRE(reader.read(4, out).count == 4);
    const ReadResult last = reader.read(4, out);
    REQUIRE(last.count == 2);
    REQUIRE_FALSE(last.end_of_stream);  // the inner marker is hidden
    int polls = 0;
    ReadResult r;
    do {
      r = reader.read(4, out);
      REQUIRE(r.count == 0);
      ++polls;
    } while (!r.end_of_stream && polls < 100);
    INFO("N = " << n);
    REQUIRE(polls == n);
    REQUIRE(reader.empty_reads() == uint64_t(n));
    REQUIRE(reader.sleeps() == uint64_t(n - 1));
    REQUIRE(out.size() == 10);
    REQUIRE(reader.records_read() == 10);
  }
}

TEST_CASE("empty-reads end: lent reads count the same polls") {
  const SharedDataset data = make_trades(6);
  EmptyReadsEndReader reader(std::make_unique<MemoryReader>(data), kNoSleep);
  size_t records = 0;
  int empty = 0;
  for (;;) {
    std::optional<ReadView> view = reader.read_view(4);
    REQUIRE(view.has_value());
    records += view->records.size();
    if (view->records.empty()) ++empty;
    if (view->end_of_stream) break;
    REQUIRE(empty < 100);
  }
  REQUIRE(records == 6);
  REQUIRE(empty == 3);
  REQUIRE(reader.empty_reads() == 3);
}

TEST_CASE("empty-reads end: a non-empty read resets the count, so a pause loses nothing") {
  const SharedDataset data = make_trades(10);
  // Two empty reads mid-stream (under N = 3) do not end it; the 5 records after them arrive.
  auto inner = std::make_unique<ScriptedReader>(data, std::deque<size_t>{3, 0, 0, 2, 0, 5});
  ScriptedReader* script = inner.get();
  EmptyReadsEndReader reader(std::move(inner), kNoSleep);
  Batch out;
  ReadResult r;
  int reads = 0;
  do {
    r = reader.read(100, out);
    ++reads;
  } while (!r.end_of_stream && reads < 100);
  REQUIRE(out.size() == 10);
  REQUIRE(reader.empty_reads() == 3 + 3);  // three mid-stream, three after the end
  REQUIRE(reads == 6 + 3);
  REQUIRE(script->calls == 6);  // the ended inner reader is not read again
}

TEST_CASE("empty-reads end: fewer than one read is refused") {
  REQUIRE_THROWS_AS(EmptyReadsEndReader(std::make_unique<MemoryReader>(make_trades(1)),
                                        {0, std::chrono::milliseconds(0)}),
                    std::invalid_argument);
}

TEST_CASE("empty-reads end: strategies that read through a reader still match direct") {
  const SharedDataset data = make_trades(500);
  const Digest expected = direct_digest(TestQueryKind::RunningCount, data);
  for (const char* strategy : {"per_record_lock", "batch_lock", "lockless_stp", "adaptive"}) {
    JobConfig config;
    config.batch_size = 64;
    config.end_by_empty_reads = EmptyReadsEnd{2, std::chrono::milliseconds(1)};
    const RunResult r = run_named(strategy, config, inputs_for(TestQueryKind::RunningCount, data));
    INFO(strategy << ": " << r.error);
    require_conserved(r);
    REQUIRE(r.digest == expected);
    REQUIRE(r.records_read == 500);
  }
  JobConfig config;
  config.end_by_empty_reads = EmptyReadsEnd{3, std::chrono::milliseconds(100)};
  REQUIRE(config.to_json()["end_of_stream"]["empty_reads"] == 3);
  REQUIRE(config.to_json()["end_of_stream"]["sleep_ms"] == 100);
  REQUIRE_FALSE(JobConfig{}.to_json().contains("end_of_stream"));
}
