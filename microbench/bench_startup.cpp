// What starting a streaming result pipeline costs (seed 000), each step on its own and the whole.
// The seed blamed channel creation, an eagerly allocated pause/resume state machine, signal
// allocation and the task spawn for milliseconds per query; here each is measured apart, then
// harness/strategies/result_stream.h's real designs are measured whole:
//
//   startup/step/channel_create        the bounded channel: mutex, two condition variables and a
//                                      deque of batches, allocated and freed
//   startup/step/pause_state/eager     pause/resume state (mutex + condition variable + flag)
//                                      allocated up front, as an eager stream does
//   startup/step/pause_state/lazy      what a lazy stream pays when nobody pauses: one atomic load
//   startup/step/signal_alloc          a shared (refcounted) pause/resume signal pair, the seed's
//                                      Arc<Notify> x2 clone pattern
//   startup/step/thread_start_join     starting the producer thread and joining it (trivial body)
//   startup/step/pool_handoff          what a pooled stream does instead: hand a trivial task to a
//                                      parked thread of a ProducerPool and wait for it to return
//   startup/step/spawnless_path        what a spawn-less stream sets up instead: one allocation
//                                      holding the engine and the dataset reference
//   startup/whole/<mode>/records:<N>   sg::execute() over N records with a passthrough engine,
//                                      pulled to the end, destroyed (mode: eager, lazy, spawnless,
//                                      pooled). pooled's pool is made, and its one thread started
//                                      by a first stream, before timing: what a server that keeps
//                                      its producer threads pays per query. The one-time start is
//                                      thread_start_join's.
//   .../pooled/records:1/spin_us:<S>   pooled, its pool spinning S us before it blocks (both the
//                                      parked thread and join(); producer_pool.h). The time spun
//                                      shows as the `spin_ns_per_query` counter: CPU that the
//                                      query's wall time does not show.
//   .../records:1/busy_us:<B>          the same query after the calling thread has been busy B us
//                                      (untimed) with the other CPU idle, as every matrix pass is
//                                      (microbench/busy_spell.h). Manual time: the query alone.
//
// The whole benchmarks report time per stream (items) and per record (`per_record` counter).
// What they measured, and the command: docs/design-notes.md#streaming-startup.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "engine/engine.h"
#include "harness/strategies/producer_pool.h"
#include "harness/strategies/result_stream.h"
#include "microbench/busy_spell.h"
#include "microbench/quick_main.h"

namespace sg {
namespace {

SharedDataset make_dataset(size_t n) {
  auto dataset = std::make_shared<Dataset>();
  for (size_t i = 0; i < n; ++i) {
    RecordMeta meta;
    meta.offset = static_cast<int64_t>(i);
    dataset->records.push_back(RecordPtr::make(
        {Value::integer(static_cast<int64_t>(i)), Value::string("AAPL"), Value::floating(1.5)},
        meta));
  }
  return dataset;
}

// The same members as result_stream.cpp's ThreadedStream channel (which is private there).
struct Channel {
  struct Item {
    Batch rows;
    uint64_t records_through;
  };
  std::mutex mutex;
  std::condition_variable not_empty;
  std::condition_variable not_full;
  std::deque<Item> items;
};

struct PauseState {
  std::mutex mutex;
  std::condition_variable resumed;
  bool paused = false;
};

void channel_create(benchmark::State& state) {
  for (auto _ : state) {
    auto channel = std::make_unique<Channel>();
    // A deque allocates its map and first block on the first push: every stream pushes.
    channel->items.push_back(Channel::Item{Batch(), 0});
    benchmark::DoNotOptimize(channel.get());
  }
  state.SetItemsProcessed(state.iterations());
}

void pause_state_eager(benchmark::State& state) {
  for (auto _ : state) {
    auto pause = std::make_unique<PauseState>();
    benchmark::DoNotOptimize(pause.get());
  }
  state.SetItemsProcessed(state.iterations());
}

void pause_state_lazy(benchmark::State& state) {
  std::atomic<PauseState*> pause{nullptr};
  for (auto _ : state) benchmark::DoNotOptimize(pause.load(std::memory_order_acquire));
  state.SetItemsProcessed(state.iterations());
}

void signal_alloc(benchmark::State& state) {
  for (auto _ : state) {
    auto pause_signal = std::make_shared<PauseState>();
    auto resume_signal = std::make_shared<PauseState>();
    auto pause_clone = pause_signal;  // the copies handed to the background task
    auto resume_clone = resume_signal;
    benchmark::DoNotOptimize(pause_clone.get());
    benchmark::DoNotOptimize(resume_clone.get());
  }
  state.SetItemsProcessed(state.iterations());
}

void thread_start_join(benchmark::State& state) {
  for (auto _ : state) {
    std::thread producer([] {});
    producer.join();
  }
  state.SetItemsProcessed(state.iterations());
}

void report_pool(benchmark::State& state, const ProducerPool& pool) {
  state.counters["threads_started"] = static_cast<double>(pool.threads());
  // Spinning pools only: a counter that is 0 in every repetition gets a 0/0 coefficient of
  // variation, which Google Benchmark writes as NaN, and NaN is not JSON (explain's reader
  // rejects the file). Per timed query; the untimed first one spun too, which slightly overstates.
  const ProducerPool::Stats stats = pool.stats();
  if (stats.spin_ns > 0)
    state.counters["spin_ns_per_query"] =
        static_cast<double>(stats.spin_ns) / static_cast<double>(state.iterations());
}

void pool_handoff(benchmark::State& state) {
  ProducerPool pool(std::chrono::microseconds(state.range(0)));
  pool.start([] {}).join();  // the thread exists before timing
  for (auto _ : state) pool.start([] {}).join();
  state.SetItemsProcessed(state.iterations());
  report_pool(state, pool);
}

void spawnless_path(benchmark::State& state) {
  SharedDataset dataset = make_dataset(1);
  struct Producer {
    std::unique_ptr<Engine> engine;
    SharedDataset records;
    size_t position = 0;
  };
  for (auto _ : state) {
    auto producer = std::make_unique<Producer>(Producer{nullptr, dataset});
    benchmark::DoNotOptimize(producer.get());
  }
  state.SetItemsProcessed(state.iterations());
}

// after_busy: each query follows a busy spell of the calling thread, and is timed alone.
void whole(benchmark::State& state, StreamingMode mode, bool after_busy) {
  const size_t records = static_cast<size_t>(state.range(0));
  SharedDataset dataset = make_dataset(records);
  // pooled only
  ProducerPool pool(std::chrono::microseconds(mode == StreamingMode::Pooled ? state.range(1) : 0));
  StreamOptions options;
  options.mode = mode;
  options.phase_timing = false;
  if (mode == StreamingMode::Pooled) options.pool = &pool;
  uint64_t rows = 0;
  auto one_query = [&] {
    std::unique_ptr<ResultStream> stream = execute(make_passthrough_engine(), dataset, options);
    {
      // A query's own result, released before the stream ends, as result_stream.h asks.
      Batch out;
      while (stream->next_batch(out)) {
        rows += out.size();
        out.clear();
      }
    }
    stream.reset();  // stop and join (or give back the pooled thread): part of every query's cost
  };
  if (mode == StreamingMode::Pooled) one_query();  // starts the pool's thread, untimed
  for (auto _ : state) {
    if (after_busy) {
      bench::after_busy_spell(state, one_query);
    } else {
      one_query();
    }
  }
  benchmark::DoNotOptimize(rows);
  if (mode == StreamingMode::Pooled) report_pool(state, pool);
  state.SetItemsProcessed(state.iterations());
  state.counters["per_record"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * static_cast<double>(records),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

BENCHMARK(channel_create)->Name("startup/step/channel_create");
BENCHMARK(pause_state_eager)->Name("startup/step/pause_state/eager");
BENCHMARK(pause_state_lazy)->Name("startup/step/pause_state/lazy");
BENCHMARK(signal_alloc)->Name("startup/step/signal_alloc");
BENCHMARK(thread_start_join)->Name("startup/step/thread_start_join")->UseRealTime();
BENCHMARK(pool_handoff)
    ->Name("startup/step/pool_handoff")
    ->ArgName("spin_us")
    ->Arg(0)
    ->Arg(100)
    ->UseRealTime();
BENCHMARK(spawnless_path)->Name("startup/step/spawnless_path");

const bool registered = [] {
  for (StreamingMode mode : all_streaming_modes()) {
    const std::string name = std::string("startup/whole/") + streaming_mode_name(mode);
    const bool pooled = mode == StreamingMode::Pooled;
    auto* b = benchmark::RegisterBenchmark(name.c_str(), whole, mode, false);
    if (pooled) {
      b->ArgNames({"records", "spin_us"})->Args({1, 0})->Args({10000, 0})->Args({1, 100});
    } else {
      b->ArgName("records")->Arg(1)->Arg(10000);
    }
    b->UseRealTime();  // the consumer waits for the producer thread: wall time is the cost
    // Its busy_us argument only names the spell (bench::kBusyUs); whole() is told by its flag.
    auto* busy = benchmark::RegisterBenchmark(name.c_str(), whole, mode, true);
    if (pooled) {
      busy->ArgNames({"records", "spin_us", "busy_us"})->Args({1, 0, bench::kBusyUs});
    } else {
      busy->ArgNames({"records", "busy_us"})->Args({1, bench::kBusyUs});
    }
    bench::as_busy_variant(busy);
  }
  return true;
}();

}  // namespace
}  // namespace sg

SG_BENCHMARK_MAIN()
