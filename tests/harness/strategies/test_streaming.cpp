#include <catch2/catch.hpp>

#include <thread>

#include "harness/io/fault_injection.h"
#include "harness/strategies/result_stream.h"
#include "strategy_test_support.h"

using namespace sg;
using namespace sg::test;

TEST_CASE("streaming: every mode matches direct") {
  for (StreamingMode mode : all_streaming_modes()) {
    INFO(streaming_mode_name(mode));
    check_matches_direct("streaming", [mode](JobConfig& c) { c.streaming = mode; });
  }
}

TEST_CASE("streaming: reports start-up apart from the total") {
  for (StreamingMode mode : all_streaming_modes()) {
    INFO(streaming_mode_name(mode));
    JobConfig config;
    config.streaming = mode;
    const RunResult r =
        run_named("streaming", config, inputs_for(TestQueryKind::Filter, make_trades(1000)));
    require_conserved(r);
    require_phases_add_up(r);
    REQUIRE(r.startup.has_value());
    REQUIRE(r.startup->to_first_row_ns >= r.startup->to_stream_ready_ns);
    REQUIRE(r.startup->to_first_row_ns <= r.wall_ns);
    // Threaded modes report their producer thread too.
    REQUIRE(r.threads.size() == (mode == StreamingMode::Spawnless ? 1u : 2u));
  }
}

TEST_CASE("streaming: lazy streams allocate pause state only when paused") {
  const SharedDataset data = make_trades(3000);
  StreamOptions options;
  options.chunk_size = 100;
  options.mode = StreamingMode::Lazy;
  auto lazy = execute(test_query(TestQueryKind::RunningCount)->instantiate(), data, options);
  REQUIRE_FALSE(lazy->pause_state_allocated());
  lazy->pause();
  REQUIRE(lazy->pause_state_allocated());
  lazy->resume();
  Digest d;
  Batch out;
  while (lazy->next_batch(out)) {
    for (const RecordPtr& r : out) d.add(*r);
    out.clear();
  }
  REQUIRE(lazy->records_delivered() == 3000);
  REQUIRE(d == direct_digest(TestQueryKind::RunningCount, data));

  options.mode = StreamingMode::Eager;
  auto eager = execute(make_passthrough_engine(), data, options);
  REQUIRE(eager->pause_state_allocated());
  options.mode = StreamingMode::Spawnless;
  auto spawnless = execute(make_passthrough_engine(), data, options);
  REQUIRE_FALSE(spawnless->pause_state_allocated());
  ProducerPool pool;
  options.mode = StreamingMode::Pooled;
  options.pool = &pool;
  auto pooled = execute(make_passthrough_engine(), data, options);
  REQUIRE(pooled->pause_state_allocated());  // eager's design, on a pooled thread
  pooled.reset();
}

TEST_CASE("streaming: pooled streams reuse one parked producer thread") {
  const SharedDataset data = make_trades(2000);
  const int threads_before = thread_count();
  {
    ProducerPool pool;
    StreamOptions options;
    options.mode = StreamingMode::Pooled;
    options.pool = &pool;
    options.chunk_size = 100;
    for (int query = 0; query < 20; ++query) {
      INFO("query " << query);
      auto stream = execute(test_query(TestQueryKind::RunningCount)->instantiate(), data, options);
      Digest d;
      Batch out;
      while (stream->next_batch(out)) {
        for (const RecordPtr& r : out) d.add(*r);
        out.clear();
      }
      REQUIRE(d == direct_digest(TestQueryKind::RunningCount, data));
      REQUIRE(stream->producer_report().has_value());
      // Every query after the first found the thread parked: none was started for it.
      REQUIRE(pool.threads() == 1);
      REQUIRE(threads_back_to(threads_before + 1));
    }
    // A stream dropped half-way, paused, gives its thread back too.
    options.chunk_size = 10;
    options.channel_capacity = 2;
    auto dropped = execute(make_passthrough_engine(), data, options);
    Batch out;
    REQUIRE(dropped->next_batch(out));
    dropped->pause();
    dropped.reset();
    auto next = execute(make_passthrough_engine(), data, options);
    while (next->next_batch(out)) out.clear();
    REQUIRE(next->records_delivered() == 2000);
    REQUIRE(pool.threads() == 1);
  }
  REQUIRE(threads_back_to(threads_before));  // the pool joined its thread
}

namespace {
// Passthrough that says on which thread it was destroyed.
class DestructionProbe final : public Engine {
 public:
  explicit DestructionProbe(std::thread::id* destroyed_on) : destroyed_on_(destroyed_on) {}
  ~DestructionProbe() override { *destroyed_on_ = std::this_thread::get_id(); }
  void process(const RecordPtr& in, Batch& out) override {
    ++stats_.records_in;
    ++stats_.records_out;
    out.push_back(in);
  }
  void finish(Batch&) override {}
  EngineStats stats() const override { return stats_; }

 private:
  std::thread::id* destroyed_on_;
  EngineStats stats_;
};
}  // namespace

TEST_CASE("streaming: a thread per query frees its engine, then ends only in stop()") {
  // result_stream.h says why: so that what it allocated is free when the thread exits.
  for (StreamingMode mode : {StreamingMode::Eager, StreamingMode::Lazy}) {
    INFO(streaming_mode_name(mode));
    const int threads_before = thread_count();
    std::thread::id destroyed_on;
    StreamOptions options;
    options.mode = mode;
    options.chunk_size = 100;
    auto stream =
        execute(std::make_unique<DestructionProbe>(&destroyed_on), make_trades(1000), options);
    Batch out;
    uint64_t rows = 0;
    while (stream->next_batch(out)) {
      rows += out.size();
      out.clear();
    }
    REQUIRE(rows == 1000);
    // Finished: the engine is gone, freed by the producer, and its counts were kept.
    REQUIRE(destroyed_on != std::thread::id());
    REQUIRE(destroyed_on != std::this_thread::get_id());
    REQUIRE(stream->stats().engine.records_in == 1000);
    REQUIRE(stream->stats().engine.records_out == 1000);
    REQUIRE(stream->producer_report().has_value());
    // ... but its thread waits for stop().
    REQUIRE(thread_count() == threads_before + 1);
    stream->stop();
    REQUIRE(threads_back_to(threads_before));
    REQUIRE(stream->stats().engine.records_in == 1000);
  }
}

TEST_CASE("streaming: a pooled stream without a pool is refused by name") {
  StreamOptions options;
  options.mode = StreamingMode::Pooled;
  REQUIRE_THROWS_WITH(execute(make_passthrough_engine(), make_trades(10), options),
                      "execute(): a pooled stream needs StreamOptions::pool");
}

TEST_CASE("streaming: a stream dropped half-way stops its producer") {
  const int threads_before = thread_count();
  {
    StreamOptions options;
    options.chunk_size = 10;
    options.channel_capacity = 2;
    auto stream = execute(make_passthrough_engine(), make_trades(5000), options);
    Batch out;
    REQUIRE(stream->next_batch(out));
    stream->pause();  // a paused producer must be woken too
  }
  REQUIRE(threads_back_to(threads_before));
}

TEST_CASE("streaming: engine and sink faults stop the producer with exact counts") {
  for (StreamingMode mode : all_streaming_modes()) {
    INFO(streaming_mode_name(mode));
    JobConfig config;
    config.engine = EngineKind::Passthrough;
    config.streaming = mode;
    config.batch_size = 100;
    config.queue_capacity = 200;
    const int threads_before = thread_count();

    JobInputs in;
    in.dataset = make_trades(2000);
    in.wrap_engine = fail_engine_at(250);
    RunResult r = run_named("streaming", config, in);
    REQUIRE_FALSE(r.ok);
    REQUIRE(r.error == "engine error: injected fault: engine fails at record 250");
    REQUIRE(r.rows_committed == 200);
    REQUIRE(r.records_committed == 200);

    in.wrap_engine = nullptr;
    in.make_writer = fail_writer_at(digest_writer_factory(), 3);
    r = run_named("streaming", config, in);
    REQUIRE_FALSE(r.ok);
    REQUIRE(r.error == "sink error: injected fault: writer fails at batch 3");
    REQUIRE(r.rows_committed == 300);
    REQUIRE(r.records_committed == 300);
    require_phases_add_up(r);
    REQUIRE(threads_back_to(threads_before));
  }
}
