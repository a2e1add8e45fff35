// Shared by the strategy tests: small datasets, hand-written queries (so the strategies can be
// tested without the SQL engine), a watchdog that turns a hang into a failure, and a thread count.
#pragma once

#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include <dirent.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <memory>
#include <string>
#include <unordered_map>

#include "engine/query.h"
#include "harness/job/dataset.h"
#include "harness/job/job.h"
#include "harness/strategies/strategy.h"

namespace sg::test {

// symbol (one of `keys`), price, ts: the shape of the seeds' trade streams.
inline SharedDataset make_trades(size_t rows, int keys = 7) {
  auto ds = std::make_shared<Dataset>();
  ds->schema =
      Schema({{"symbol", Type::String}, {"price", Type::Integer}, {"ts", Type::Timestamp}});
  ds->records.reserve(rows);
  for (size_t i = 0; i < rows; ++i) {
    RecordMeta meta;
    meta.offset = static_cast<int64_t>(i);
    meta.event_time = 1'000'000 + static_cast<int64_t>(i) * 10;
    meta.partition = static_cast<int32_t>(i % 3);
    const std::string symbol = "S" + std::to_string((i * 2654435761u) % static_cast<size_t>(keys));
    ds->records.push_back(RecordPtr::make(
        {Value::string(symbol), Value::integer(static_cast<int64_t>((i * 37) % 1000)),
         Value::timestamp(meta.event_time)},
        meta));
  }
  return ds;
}

// A CompiledQuery written by hand: the strategies only need instantiate(), partitioning() and
// partition_hash(), and these three shapes cover what they must get right.
enum class TestQueryKind {
  Filter,        // stateless: price % 3 != 0, projects (symbol, price * 2); Any
  RunningCount,  // per symbol: (symbol, count so far), key_hash = symbol; ByKey
  RowNumber,     // over the whole stream: (row number, price); Single
};

class TestEngine final : public Engine {
 public:
  explicit TestEngine(TestQueryKind kind) : kind_(kind) {}
  void process(const RecordPtr& in, Batch& out) override {
    ++stats_.records_in;
    const Record& r = *in;
    switch (kind_) {
      case TestQueryKind::Filter:
        if (r[1].as_int() % 3 == 0) return;
        out.push_back(RecordPtr::make({r[0], Value::integer(r[1].as_int() * 2)}, r.meta()));
        break;
      case TestQueryKind::RunningCount: {
        const uint64_t key = r[0].hash();
        RecordMeta meta = r.meta();
        meta.key_hash = key;
        out.push_back(RecordPtr::make({r[0], Value::integer(++counts_[key])}, meta));
        break;
      }
      case TestQueryKind::RowNumber: {
        RecordMeta meta = r.meta();
        meta.key_hash = 1;  // one key: the whole stream's order matters
        out.push_back(RecordPtr::make({Value::integer(++rows_), r[1]}, meta));
        break;
      }
    }
    ++stats_.records_out;
  }
  void finish(Batch& out) override {
    if (kind_ != TestQueryKind::RunningCount) return;
    // One final row per key at end of stream, like EMIT FINAL: exercises finish() output.
    for (const auto& [key, count] : counts_) {
      RecordMeta meta;
      meta.key_hash = key;
      out.push_back(RecordPtr::make({Value::string("final"), Value::integer(count)}, meta));
      ++stats_.records_out;
    }
  }
  EngineStats stats() const override { return stats_; }

 private:
  TestQueryKind kind_;
  EngineStats stats_;
  std::unordered_map<uint64_t, int64_t> counts_;
  int64_t rows_ = 0;
};

class TestQuery final : public CompiledQuery {
 public:
  explicit TestQuery(TestQueryKind kind) : kind_(kind) {
    input_ = Schema({{"symbol", Type::String}, {"price", Type::Integer}, {"ts", Type::Timestamp}});
    output_ = Schema({{"a", Type::String}, {"b", Type::Integer}});
  }
  const Schema& input_schema() const override { return input_; }
  const Schema& output_schema() const override { return output_; }
  const std::string& source_name() const override { return source_; }
  std::unique_ptr<Engine> instantiate() const override {
    return std::make_unique<TestEngine>(kind_);
  }
  Partitioning partitioning() const override {
    switch (kind_) {
      case TestQueryKind::Filter:
        return Partitioning::Any;
      case TestQueryKind::RunningCount:
        return Partitioning::ByKey;
      case TestQueryKind::RowNumber:
        return Partitioning::Single;
    }
    return Partitioning::Single;
  }
  uint64_t partition_hash(const Record& in) const override { return in[0].hash(); }
  std::string explain() const override { return "test query"; }

 private:
  TestQueryKind kind_;
  Schema input_, output_;
  std::string source_ = "trades";
};

inline std::shared_ptr<const CompiledQuery> test_query(TestQueryKind kind) {
  return std::make_shared<TestQuery>(kind);
}

inline JobInputs inputs_for(TestQueryKind kind, SharedDataset data) {
  JobInputs in;
  in.query = test_query(kind);
  in.dataset = std::move(data);
  return in;
}

// Runs the job on another thread and fails the whole test binary if it does not return in
// time: a hang must fail CI, not block it (a stuck thread cannot be cancelled, so exit).
inline RunResult run_with_watchdog(const Strategy& strategy, const JobConfig& config,
                                   const JobInputs& inputs, int seconds = 60) {
  auto future = std::async(std::launch::async, [&] { return strategy.run(config, inputs); });
  if (future.wait_for(std::chrono::seconds(seconds)) != std::future_status::ready) {
    std::fprintf(stderr, "WATCHDOG: strategy %s did not return within %d s: hang\n",
                 std::string(strategy.name()).c_str(), seconds);
    std::fflush(stderr);
    std::_Exit(97);
  }
  return future.get();
}

inline RunResult run_named(std::string_view name, const JobConfig& config,
                           const JobInputs& inputs) {
  auto strategy = make_strategy(name);
  REQUIRE(strategy != nullptr);
  return run_with_watchdog(*strategy, config, inputs);
}

// Threads of this process right now (entries of /proc/self/task). The first call starts and
// joins one thread first: ThreadSanitizer spawns its own background thread at the process's first
// thread creation, which would otherwise appear in the middle of the first test that counts
// (CTest runs each test in a fresh process).
inline int thread_count() {
  static const bool settled = [] {
    std::thread([] {}).join();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return true;
  }();
  (void)settled;
  int n = 0;
  if (DIR* dir = opendir("/proc/self/task")) {
    while (dirent* e = readdir(dir))
      if (e->d_name[0] != '.') ++n;
    closedir(dir);
  }
  return n;
}

// A joined thread can stay listed in /proc/self/task for a moment after pthread_join returns: the
// kernel clears the thread id the joiner waits on before it reaps the task. That includes the
// watchdog's std::async thread, so even `direct`, which starts no thread, saw one thread too many
// about once in 40 runs on the loaded machine. Give the count a second to settle; a thread that
// was not joined stays, and fails. The same lag can inflate the count taken *before* a job (the
// previous job's threads still listed), so fewer threads than expected is no leak and passes.
inline bool threads_back_to(int expected) {
  // Up to 10 s: under ThreadSanitizer on a loaded 2-core machine a joined thread can take longer
  // than a second to leave /proc/self/task.
  for (int i = 0; i < 2000; ++i) {
    if (thread_count() <= expected) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return thread_count() <= expected;
}

// The result's phases add up, thread by thread, exactly.
inline void require_phases_add_up(const RunResult& r) {
  REQUIRE(!r.threads.empty());
  REQUIRE(r.threads.front().role == "job");
  REQUIRE(r.wall_ns == r.threads.front().lifetime_ns);
  for (const ThreadReport& t : r.threads) {
    INFO("thread " << t.role);
    REQUIRE(t.attributed_ns() + t.unattributed_ns == t.lifetime_ns);
    REQUIRE(t.attributed_ns() <= t.lifetime_ns);
  }
}

inline void require_conserved(const RunResult& r) {
  INFO(r.strategy << ": " << r.error);
  REQUIRE(r.ok);
  REQUIRE(r.records_read == r.records_processed);
  REQUIRE(r.rows_written == r.rows_produced);
  REQUIRE(r.records_committed == r.records_read);
  REQUIRE(r.rows_committed == r.rows_written);
  REQUIRE(r.engine.records_in == r.records_processed);
  REQUIRE(r.engine.records_out == r.rows_produced);
  // Writers that keep no digest (NullWriter, slow test sinks) leave it empty.
  if (r.digest.count() != 0) REQUIRE(r.digest.count() == r.rows_written);
}

}  // namespace sg::test

namespace sg::test {

inline Digest direct_digest(TestQueryKind kind, const SharedDataset& data) {
  JobConfig config;
  const RunResult r = run_named("direct", config, inputs_for(kind, data));
  INFO(r.error);
  REQUIRE(r.ok);
  return r.digest;
}

// For every query shape, partitions 1, 2, 4 and batch sizes 1, 100, 1000: the strategy either
// says why the config makes no sense, or produces direct's digest with every count conserved.
// `tweak` sets the strategy's own knobs (lock kind, routing, streaming mode, ...).
template <class Tweak>
void check_matches_direct(std::string_view strategy, Tweak tweak, size_t rows = 2000) {
  const SharedDataset data = make_trades(rows);
  for (TestQueryKind kind :
       {TestQueryKind::Filter, TestQueryKind::RunningCount, TestQueryKind::RowNumber}) {
    const Digest expected = direct_digest(kind, data);
    REQUIRE(expected.count() > 0);
    for (int partitions : {1, 2, 4}) {
      for (size_t batch : {size_t{1}, size_t{100}, size_t{1000}}) {
        JobConfig config;
        config.partitions = partitions;
        config.batch_size = batch;
        config.queue_capacity = 64;  // small, so that backpressure happens in tests
        tweak(config);
        const JobInputs inputs = inputs_for(kind, data);
        const RunResult r = run_named(strategy, config, inputs);
        INFO(strategy << " query " << static_cast<int>(kind) << " partitions " << partitions
                      << " batch " << batch << ": " << r.error);
        if (r.skipped) {
          REQUIRE(!r.error.empty());
          REQUIRE(r.error.rfind(std::string(strategy) + ":", 0) == 0);
          continue;
        }
        require_conserved(r);
        require_phases_add_up(r);
        REQUIRE(r.records_read == rows);
        REQUIRE(r.digest == expected);
      }
    }
  }
}

}  // namespace sg::test
