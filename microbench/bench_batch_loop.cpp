// What the job loop's per-batch bookkeeping costs, piece by piece and whole. Everything here
// mirrors harness/strategies/job_loop.cpp (run_job_loop) and harness/strategies/direct.cpp, so that
// the overhead model (harness/analysis/overhead_model.cpp) can multiply these costs by a run's
// counts:
//
//   batch/clock_read                 one PhaseClock::now_ns() (a phase boundary reads it once)
//   batch/meter_charge               one ThreadMeter::charge(): the clock read plus the addition
//   batch/output_vector/reuse/<B>    B rows appended to a cleared, reserved Batch (the loops'
//                                    `out`), per batch
//   batch/output_vector/fresh/<B>    the same rows appended to a new Batch that grows from empty
//                                    and is freed afterwards (the streaming producer's `rows`)
//   batch/output_vector/fresh_freed_elsewhere/<B>   the same, each Batch read and freed by a
//                                    thread on slot 1's CPU, as the stream's job thread does
//                                    (manual time: the making only)
//   batch/write_commit/<sink>/<B>    DataWriter::write of B rows + commit, DigestWriter /
//                                    NullWriter
//   batch/reader_read_commit/<B>     MemoryReader::read of B records + commit + in.clear()
//   batch/job_loop/<B>               run_job_loop itself (passthrough engine, no lock,
//                                    NullWriter, phase timing off), per batch
//   batch/direct_loop/<B>            direct's loop over the same records, per batch
//   batch/engine_calls/per_record    passthrough Engine::process once per record (per_record_lock)
//   batch/engine_calls/batched       passthrough Engine::process_batch over 1000 records
//   work/injected/rounds:<N>         the passthrough engine with N rounds of injected work per
//                                    record (--inject-work, a matrix's inject_work), per record:
//                                    (rounds:400 - rounds:0) / 400 prices one round
//   work/injected/per_record_locked/rounds:<N>   the same rounds in per_record_lock's loop (one
//                                    call a record under a mutex), which prices its cells' round
//
// Every benchmark sets items processed to its operations (one clock read, one batch, one
// record), so the JSON's items_per_second gives the time per operation; the `per_record`
// counter gives the time per record where an operation covers several.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <vector>

#include "engine/engine.h"
#include "harness/io/digest_writer.h"
#include "harness/io/memory_reader.h"
#include "harness/io/null_writer.h"
#include "harness/job/phase_clock.h"
#include "harness/job/run_stats.h"
#include "harness/strategies/job_loop.h"
#include "harness/workload/injected_work.h"
#include "microbench/line_probe.h"
#include "microbench/quick_main.h"
#include "microbench/taking_turns.h"

namespace sg {
namespace {

constexpr size_t kLoopRecords = 20000;  // records per pass of the whole-loop benchmarks

SharedDataset make_dataset(size_t n) {
  auto dataset = std::make_shared<Dataset>();
  dataset->records.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    RecordMeta meta;
    meta.offset = static_cast<int64_t>(i);
    dataset->records.push_back(RecordPtr::make(
        {Value::integer(static_cast<int64_t>(i)), Value::string("AAPL"), Value::floating(1.5)},
        meta));
  }
  return dataset;
}

// Seconds per record, shown next to the time per operation.
void report_per_record(benchmark::State& state, int64_t operations, int64_t records_per_op) {
  state.SetItemsProcessed(operations);
  state.counters["per_record"] =
      benchmark::Counter(static_cast<double>(operations * records_per_op),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void clock_read(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(PhaseClock::now_ns());
  state.SetItemsProcessed(state.iterations());
}

void meter_charge(benchmark::State& state) {
  ThreadMeter meter("bench", /*phase_timing=*/true);
  uint64_t since = meter.now();
  for (auto _ : state) meter.charge(Phase::Coordination, since);
  benchmark::DoNotOptimize(meter.finish());
  state.SetItemsProcessed(state.iterations());
}

// Both output-vector benchmarks append lent pointers (adopt, then release before the vector
// drops them): a reference count per row would cost the same in both and bury the difference,
// which is the vector's growth alone.
void append_lent(const SharedDataset& rows, Batch& out) {
  for (const RecordPtr& r : rows->records) out.push_back(RecordPtr::adopt(r.get()));
  benchmark::DoNotOptimize(out.data());
  for (RecordPtr& r : out) (void)r.release();
}

void output_vector_reuse(benchmark::State& state) {
  const size_t batch = static_cast<size_t>(state.range(0));
  SharedDataset rows = make_dataset(batch);
  Batch out;
  out.reserve(batch);
  for (auto _ : state) {
    append_lent(rows, out);
    out.clear();
  }
  report_per_record(state, state.iterations(), state.range(0));
}

void output_vector_fresh(benchmark::State& state) {
  const size_t batch = static_cast<size_t>(state.range(0));
  SharedDataset rows = make_dataset(batch);
  for (auto _ : state) {
    Batch out;  // grows 1, 2, 4, ... like the streaming producer's `rows = Batch()`
    append_lent(rows, out);
  }
  report_per_record(state, state.iterations(), state.range(0));
}

// The streaming producer's `rows` as the stream uses it: a new Batch grows on slot 0's CPU, and
// the job thread, on slot 1's, reads its slots and frees it. The next new Batch is allocated in
// blocks that came back from the other core, and its writes pull their lines over: what
// output_vector/fresh, on one thread, cannot see. Only the making is timed (manual time); the
// two threads take turns, so neither side's time holds the other's. Two clock reads per batch
// are in the time; the model takes batch/clock_read's cost of them out.
void output_vector_fresh_freed_elsewhere(benchmark::State& state) {
  const bench::LineProbe line_probe(state);  // a two-thread cost: priced in the matrix's regime
  const size_t batch = static_cast<size_t>(state.range(0));
  SharedDataset rows = make_dataset(batch);
  Batch handed;
  uintptr_t sum = 0;
  {
    bench::TakingTurns turns([&] {
      Batch taken;
      taken.swap(handed);
      for (const RecordPtr& r : taken) sum += reinterpret_cast<uintptr_t>(r.get());
      Batch().swap(taken);  // freed on this core, as the job thread frees the stream's batches
    });
    for (auto _ : state) {
      const uint64_t start = PhaseClock::now_ns();
      Batch out;
      append_lent(rows, out);
      state.SetIterationTime(1e-9 * static_cast<double>(PhaseClock::now_ns() - start));
      handed.swap(out);
      turns.hand_over();
    }
  }
  benchmark::DoNotOptimize(sum);
  report_per_record(state, state.iterations(), state.range(0));
}

template <class Writer>
void write_commit(benchmark::State& state) {
  const size_t batch = static_cast<size_t>(state.range(0));
  SharedDataset rows = make_dataset(batch);
  Writer writer;
  for (auto _ : state) {
    writer.write(rows->records);
    writer.commit();
  }
  benchmark::DoNotOptimize(writer.rows_committed());
  report_per_record(state, state.iterations(), state.range(0));
}

void reader_read_commit(benchmark::State& state) {
  const size_t batch = static_cast<size_t>(state.range(0));
  SharedDataset dataset = make_dataset(kLoopRecords);
  auto reader = std::make_unique<MemoryReader>(dataset);
  Batch in;
  in.reserve(batch);
  for (auto _ : state) {
    in.clear();
    if (reader->read(batch, in).end_of_stream) {
      // Rewinding is one allocation per kLoopRecords / batch reads: not worth pausing the
      // timer, whose own cost would be larger.
      reader = std::make_unique<MemoryReader>(dataset);
    }
    reader->commit();
  }
  report_per_record(state, state.iterations(), state.range(0));
}

// One pass of run_job_loop over kLoopRecords, exactly as per_record_lock/batch_lock/lockless_stp
// run it, minus the lock and the phase clock (each measured on its own above).
void job_loop(benchmark::State& state) {
  const size_t batch = static_cast<size_t>(state.range(0));
  SharedDataset dataset = make_dataset(kLoopRecords);
  int64_t batches = 0;
  for (auto _ : state) {
    MemoryReader reader(dataset);
    std::unique_ptr<Engine> engine = make_passthrough_engine();
    std::unique_ptr<EngineAccess> access = unlocked_access(*engine);
    NullWriter writer;
    ThreadMeter meter("bench", /*phase_timing=*/false);
    LoopCounts counts;
    run_job_loop(reader, *access, writer, batch, meter, counts);
    batches += static_cast<int64_t>(counts.batches);
  }
  report_per_record(state, batches, state.range(0));
}

// direct's loop (strategies/direct.cpp): chunks of the in-memory records straight into the engine,
// write and commit per batch, no reader.
void direct_loop(benchmark::State& state) {
  const size_t batch = static_cast<size_t>(state.range(0));
  SharedDataset dataset = make_dataset(kLoopRecords);
  const std::vector<RecordPtr>& records = dataset->records;
  int64_t batches = 0;
  for (auto _ : state) {
    std::unique_ptr<Engine> engine = make_passthrough_engine();
    NullWriter writer;
    ThreadMeter meter("bench", /*phase_timing=*/false);
    uint64_t since = meter.now();
    Batch out;
    out.reserve(batch);
    uint64_t rows_produced = 0;
    for (size_t begin = 0; begin < records.size(); begin += batch) {
      const size_t end = std::min(records.size(), begin + batch);
      engine->process_batch(std::span(records).subspan(begin, end - begin), out);
      ++batches;
      meter.charge(Phase::Engine, since);
      if (!out.empty()) {
        rows_produced += out.size();
        writer.write(out);
        out.clear();
        meter.charge(Phase::Write, since);
      }
      writer.commit();
      meter.charge(Phase::Coordination, since);
    }
    engine->finish(out);
    benchmark::DoNotOptimize(rows_produced);
  }
  report_per_record(state, batches, state.range(0));
}

// per_record_lock calls Engine::process once per record where the others call process_batch
// once per batch: this is the difference in engine dispatch alone (passthrough engine).
void engine_calls_per_record(benchmark::State& state) {
  SharedDataset rows = make_dataset(1000);
  std::unique_ptr<Engine> engine = make_passthrough_engine();
  Batch out;
  out.reserve(1000);
  for (auto _ : state) {
    for (const RecordPtr& r : rows->records) engine->process(r, out);
    out.clear();
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}

// per_record_lock's own loop: the engine lock taken around each per-record call. The lock's
// atomic instructions overlap the call's work here as they do in the strategy, which a loop of
// bare lock/unlock pairs (lock/<mutex>/uncontended) cannot show.
template <class Mutex>
void per_record_locked_calls(benchmark::State& state, Engine& engine) {
  SharedDataset rows = make_dataset(1000);
  // On a line of its own, as in the strategy's EngineAccess object: on the stack it could share
  // one with `out`'s end pointer, written every record, and each run's stack offset would decide.
  struct alignas(64) OwnLine {
    Mutex mutex;
  };
  auto lock = std::make_unique<OwnLine>();
  Batch out;
  out.reserve(1000);
  for (auto _ : state) {
    for (const RecordPtr& r : rows->records) {
      lock->mutex.lock();
      engine.process(r, out);
      lock->mutex.unlock();
    }
    out.clear();
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}

template <class Mutex>
void engine_calls_per_record_locked(benchmark::State& state) {
  per_record_locked_calls<Mutex>(state, *make_passthrough_engine());
}

// process_batch over 1000 records per iteration; items are records.
void batched_calls(benchmark::State& state, Engine& engine) {
  SharedDataset rows = make_dataset(1000);
  Batch out;
  out.reserve(1000);
  for (auto _ : state) {
    engine.process_batch(rows->records, out);
    out.clear();
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}

void engine_calls_batched(benchmark::State& state) {
  batched_calls(state, *make_passthrough_engine());
}

void injected_work(benchmark::State& state) {
  batched_calls(state, *with_injected_work(make_passthrough_engine(),
                                           static_cast<unsigned>(state.range(0))));
}

// The same rounds run a record at a time between per_record_lock's lock and unlock: the rounds'
// dependent chain overlaps the call's and the lock's own work, which a batch's one long chain
// does not, so per_record_lock's cells add less per round than batched ones.
void injected_work_per_record_locked(benchmark::State& state) {
  per_record_locked_calls<std::mutex>(
      state, *with_injected_work(make_passthrough_engine(), static_cast<unsigned>(state.range(0))));
}

// The batch sizes of scenarios/matrix/batch_sweep.toml, so the model finds its exact size.
void sweep_sizes(benchmark::internal::Benchmark* b) {
  b->ArgName("batch");
  for (int64_t size : {1, 10, 100, 1000, 10000}) b->Arg(size);
}
void loop_sizes(benchmark::internal::Benchmark* b) {
  b->ArgName("batch");
  for (int64_t size : {1, 10, 100, 1000}) b->Arg(size);
}

BENCHMARK(clock_read)->Name("batch/clock_read");
BENCHMARK(meter_charge)->Name("batch/meter_charge");
BENCHMARK(output_vector_reuse)->Name("batch/output_vector/reuse")->Apply(sweep_sizes);
BENCHMARK(output_vector_fresh)->Name("batch/output_vector/fresh")->Apply(sweep_sizes);
BENCHMARK(output_vector_fresh_freed_elsewhere)
    ->Name("batch/output_vector/fresh_freed_elsewhere")
    ->Apply(sweep_sizes)
    ->UseManualTime();
BENCHMARK(write_commit<DigestWriter>)->Name("batch/write_commit/digest")->Apply(sweep_sizes);
BENCHMARK(write_commit<NullWriter>)->Name("batch/write_commit/null")->Apply(sweep_sizes);
BENCHMARK(reader_read_commit)->Name("batch/reader_read_commit")->Apply(sweep_sizes);
BENCHMARK(job_loop)->Name("batch/job_loop")->Apply(loop_sizes);
BENCHMARK(direct_loop)->Name("batch/direct_loop")->Apply(loop_sizes);
BENCHMARK(engine_calls_per_record)->Name("batch/engine_calls/per_record");
BENCHMARK(engine_calls_batched)->Name("batch/engine_calls/batched");
BENCHMARK(engine_calls_per_record_locked<std::mutex>)
    ->Name("batch/engine_calls/per_record_locked/mutex");
BENCHMARK(engine_calls_per_record_locked<std::shared_mutex>)
    ->Name("batch/engine_calls/per_record_locked/shared_mutex");
// 400: kInjectedWorkBenchRounds of harness/analysis/overhead_components.h.
BENCHMARK(injected_work)->Name("work/injected")->ArgName("rounds")->Arg(0)->Arg(400);
BENCHMARK(injected_work_per_record_locked)
    ->Name("work/injected/per_record_locked")
    ->ArgName("rounds")
    ->Arg(0)
    ->Arg(400);

}  // namespace
}  // namespace sg

SG_BENCHMARK_MAIN()
