// What a record born on one core costs when another core uses it: a materialized source's reader
// decodes records that a worker then reads and frees (adaptive), and a streaming producer builds
// output rows that the job thread writes and frees. Each iteration moves one batch of 1,000 of
// s0_pure_select's records (or the named scenario's), decoded fresh from an encoded log
// (MaterializingReader, as `--source materialized` does); items are records.
//
// Two sides, each timed on its own thread with two clock reads per batch, reported as
// separate benchmarks (manual time) of the same run:
//   make: free the records it still owns, then decode the next batch
//   use:  read every record (row_hash), and free them where the variant says
// Variants, over s0's records (the two make sides that reused_blocks subtracts also over each
// scenario's, records/<variant>/make/<scenario>/batch:1000: a record's blocks and lines grow
// with its fields, and the reuse with them; s0's also at batch 1 and 100, where a batch's reuse,
// shared by fewer records, costs each more):
//   records/same_thread/<side>/batch:1000         one thread does both sides, in turn
//   records/other_reads/<side>/batch:1000         thread A (slot 0's CPU) makes, thread B (slot
//                                                 1's) uses; A frees a batch after B read it
//   records/other_reads_frees/<side>/batch:1000   A makes, B uses and frees
//   records/ahead/other_reads_frees/use/batch:1000/lead:1   as other_reads_frees, A a batch
//                                                           ahead of B (a worker's queue not empty)
// and streaming's producer with the sql engine, per scenario (make: decode a batch and run the
// scenario's query over it; what the query leaves out is freed by the maker, the output rows by
// whoever uses them, so the maker allocates in blocks of both kinds):
//   records/same_thread/produce/<scenario>/batch:1000        as direct: the input dropped first,
//                                                            the output read and freed untimed
//   records/other_reads_frees/produce/<scenario>/batch:1000  as the producer: the input dropped
//                                                            after the query, B frees the output
//   records/overlapped_frees/produce/<scenario>/batch:1000   as the producer beside streaming's
//                                                            job thread: B sleeps between
//                                                            batches, then reads and frees the
//                                                            last batch's output while A makes
//                                                            the next
//   records/overlapped_frees/make/<scenario>/batch:1000      the same over decoded records alone
//                                                            (a reader that hands each record
//                                                            on: passthrough's producer,
//                                                            adaptive's reader)
// scripts/microbench runs each benchmark here in a process of its own: the maker allocates in the
// heap that every earlier benchmark of the process left behind, and a make side read after the
// others can cost more than alone (design-notes#model-shortfalls).
// A and B take turns (a ping-pong, spinning), so neither side's time includes the other's, except
// in overlapped_frees, where they run at once as the cells' threads do. The overhead model
// (harness/analysis/overhead_components.cpp) prices per record:
//   record_lines  = other_reads/use - same_thread/use (less the batch's pointers crossing)
//   remote_frees  = other_reads_frees/use - other_reads/use          (the freeing core's side)
//   reused_blocks = overlapped_frees/make - same_thread/make, per scenario (the allocating
//                   core's side: blocks freed on the other core, while it makes the next batch,
//                   come back to it through the allocator); at other batch sizes, and for
//                   results without it, other_reads_frees/make - same_thread/make
//   aged_records  = ahead/other_reads_frees/use - same_thread/use (less the pointers crossing):
//                   record_lines + remote_frees for a batch made while the user worked on the last
//   produced_rows = overlapped_frees/produce - same_thread/produce, per scenario, per record
//                   read (the sql producer's side of the same; results from before it:
//                   other_reads_frees/produce)
#include <cassert>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/query.h"
#include "harness/io/materializing_reader.h"
#include "harness/io/record_log.h"
#include "harness/workload/generator.h"
#include "harness/workload/scenario.h"
#include "microbench/line_probe.h"
#include "microbench/quick_main.h"
#include "microbench/taking_turns.h"

namespace sg {
namespace {

constexpr uint64_t kRecords = 100'000;
constexpr size_t kBatch = 1000;
static_assert(kRecords % kBatch == 0, "every batch is full");

using Clock = std::chrono::steady_clock;

const std::vector<Scenario>& scenarios() {
  static const std::vector<Scenario> all = load_scenarios(default_scenario_dir());
  return all;
}

const Scenario& scenario_named(const std::string& name) {
  for (const Scenario& s : scenarios())
    if (s.name == name) return s;
  throw std::runtime_error("bench_record_crossing: scenario " + name + " not found");
}

// The scenario's records, encoded once (on first use: only the benchmarks that run pay for it).
SharedRecordLog scenario_log(const std::string& name) {
  static std::map<std::string, SharedRecordLog> logs;
  if (auto it = logs.find(name); it != logs.end()) return it->second;
  return logs[name] = std::make_shared<const RecordLog>(
             RecordLog::encode(generate_dataset(scenario_named(name).generator, kRecords).records));
}

// Decodes the next batch of `batch` records, starting the log over at its end: fresh records
// every call.
class Decoder {
 public:
  Decoder(SharedRecordLog log, size_t batch) : log_(std::move(log)), reader_(log_), batch_(batch) {
    assert(kRecords % batch == 0 && "every batch is full");
  }
  void next(Batch& out) {
    if (reader_.read(batch_, out).end_of_stream && out.empty()) {
      reader_ = MaterializingReader(log_);
      reader_.read(batch_, out);
    }
  }

 private:
  SharedRecordLog log_;
  MaterializingReader reader_;
  size_t batch_;
};

// Streaming's producer over the scenario's query: decodes the next batch into its input and runs
// the query over it, appending the output rows to the caller's batch. A fresh engine starts with
// each pass over the log, so windows never see time go back (its start-up is in both variants).
class Producer {
 public:
  // `drop_input_first`: direct's order (the last batch's input dropped before the next decode,
  // after its output was freed); otherwise the producer's (dropped after the query, while the
  // output rows still hold what the query passed on).
  Producer(const std::string& scenario, bool drop_input_first)
      : decoder_(scenario_log(scenario), kBatch),
        query_(CompiledQuery::compile(scenario_named(scenario).sql,
                                      Generator(scenario_named(scenario).generator).schema())),
        drop_input_first_(drop_input_first) {
    input_.reserve(kBatch);
  }
  void next(Batch& out) {
    if (drop_input_first_) input_.clear();
    if (batches_++ % (kRecords / kBatch) == 0) engine_ = query_->instantiate();
    decoder_.next(input_);
    engine_->process_batch(input_, out);
    if (!drop_input_first_) input_.clear();
  }

 private:
  Decoder decoder_;
  std::shared_ptr<const CompiledQuery> query_;
  std::unique_ptr<Engine> engine_;
  Batch input_;
  bool drop_input_first_;
  uint64_t batches_ = 0;
};

uint64_t read_all(const Batch& batch) {
  uint64_t sum = 0;
  for (const RecordPtr& r : batch) sum += r->row_hash();
  return sum;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

enum class Side { Make, Use };

// One batch made into the (empty) batch it is given.
using MakeFn = std::function<void(Batch&)>;

MakeFn decode_into(const std::string& scenario, size_t batch = kBatch) {
  auto decoder = std::make_shared<Decoder>(scenario_log(scenario), batch);
  return [decoder](Batch& batch) { decoder->next(batch); };
}

MakeFn produce_into(const std::string& scenario, bool drop_input_first) {
  auto producer = std::make_shared<Producer>(scenario, drop_input_first);
  return [producer](Batch& batch) { producer->next(batch); };
}

// `free_made_untimed`: the last batch is freed before the clock starts (the produce variant, as
// direct frees its output while writing); otherwise freeing it is part of making the next.
// `records`: how many a batch holds (each make reads that many).
void same_thread(benchmark::State& state, Side side, const MakeFn& make,
                 bool free_made_untimed = false, size_t records = kBatch) {
  Batch batch;
  batch.reserve(records);
  uint64_t sum = 0;
  for (auto _ : state) {
    if (free_made_untimed) batch.clear();
    const Clock::time_point start = Clock::now();
    batch.clear();
    make(batch);
    const Clock::time_point made = Clock::now();
    sum += read_all(batch);
    state.SetIterationTime(side == Side::Make ? std::chrono::duration<double>(made - start).count()
                                              : seconds_since(made));
  }
  batch.clear();
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(records));
}

enum class Freer { Maker, User };

// A makes into `batch` and hands the turn over; B uses it (freeing it when `freer` is the user),
// notes its time and hands the turn back. The maker is built after the probe: built before it, its
// state sat elsewhere in the heap and the make side read up to 1.7x slower
// (design-notes#model-shortfalls).
void ping_pong(benchmark::State& state, Freer freer, Side side,
               const std::function<MakeFn()>& make_maker, size_t records = kBatch) {
  const bench::LineProbe line_probe(state);
  const MakeFn make = make_maker();
  Batch batch;
  batch.reserve(records);
  double use_seconds = 0;
  uint64_t sum = 0;
  {
    bench::TakingTurns turns([&] {
      const Clock::time_point start = Clock::now();
      sum += read_all(batch);
      if (freer == Freer::User) batch.clear();
      use_seconds = seconds_since(start);
    });
    for (auto _ : state) {
      const Clock::time_point start = Clock::now();
      batch.clear();  // frees the last batch here, when the user left it
      make(batch);
      const double make_seconds = seconds_since(start);
      turns.hand_over();
      state.SetIterationTime(side == Side::Make ? make_seconds : use_seconds);
    }
  }
  batch.clear();
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(records));
}

// As ping_pong's use side with the user freeing, but A runs `lead` batches ahead of B, as
// adaptive's reader does while a worker's queue is not empty: B reads and frees the batch A made
// `lead` turns earlier, not the one A has just written.
void ahead(benchmark::State& state, const std::function<MakeFn()>& make_maker) {
  const bench::LineProbe line_probe(state);
  const MakeFn make = make_maker();
  const size_t lead = static_cast<size_t>(state.range(0));
  std::vector<Batch> ring(lead + 1);
  for (Batch& b : ring) b.reserve(kBatch);
  for (size_t i = 0; i < lead; ++i) make(ring[i]);
  size_t next = lead;  // the slot A makes into; B uses the one after it (made `lead` turns ago)
  double use_seconds = 0;
  uint64_t sum = 0;
  {
    bench::TakingTurns turns([&] {
      Batch& batch = ring[(next + 1) % ring.size()];
      const Clock::time_point start = Clock::now();
      sum += read_all(batch);
      batch.clear();
      use_seconds = seconds_since(start);
    });
    for (auto _ : state) {
      make(ring[next]);
      turns.hand_over();
      next = (next + 1) % ring.size();
      state.SetIterationTime(use_seconds);
    }
  }
  for (Batch& b : ring) b.clear();
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kBatch));
}

// A makes batch k while B, woken by the hand-over, reads and frees batch k - 1, then sleeps; only
// A's making is timed. Taking turns, B's frees were all done before A allocated again; here A
// allocates while B frees on the other core, as the cells' threads do.
void overlapped_frees(benchmark::State& state, const std::function<MakeFn()>& make_maker) {
  const bench::LineProbe line_probe(state);
  const MakeFn make = make_maker();
  Batch made, used;
  made.reserve(kBatch);
  used.reserve(kBatch);
  uint64_t sum = 0;
  {
    bench::TakingTurns turns(
        [&] {
          sum += read_all(used);
          used.clear();
        },
        bench::OtherWaits::Sleeping);
    for (auto _ : state) {
      const Clock::time_point start = Clock::now();
      make(made);
      state.SetIterationTime(seconds_since(start));
      turns.take_back();  // B is done with the batch before last
      std::swap(made, used);
      turns.pass();
    }
    turns.take_back();
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kBatch));
}

// The batch is in the names only so that they carry it, as bench_batch_crossing's do.
const bool registered = [] {
  const std::string batch = "/batch:" + std::to_string(kBatch);
  const std::string s0 = "s0_pure_select";
  for (const auto& [side, side_name] : {std::pair{Side::Make, "make"}, {Side::Use, "use"}}) {
    benchmark::RegisterBenchmark(
        ("records/same_thread/" + std::string(side_name) + batch).c_str(),
        [side, s0](benchmark::State& s) { same_thread(s, side, decode_into(s0)); })
        ->UseManualTime();
    benchmark::RegisterBenchmark(("records/other_reads/" + std::string(side_name) + batch).c_str(),
                                 [side, s0](benchmark::State& s) {
                                   ping_pong(s, Freer::Maker, side,
                                             [s0] { return decode_into(s0); });
                                 })
        ->UseManualTime();
    benchmark::RegisterBenchmark(
        ("records/other_reads_frees/" + std::string(side_name) + batch).c_str(),
        [side, s0](benchmark::State& s) {
          ping_pong(s, Freer::User, side, [s0] { return decode_into(s0); });
        })
        ->UseManualTime();
  }
  // One batch ahead already costs what 2, 4 or 16 do (design-notes#model-shortfalls).
  benchmark::RegisterBenchmark(
      ("records/ahead/other_reads_frees/use" + batch).c_str(),
      [s0](benchmark::State& s) { ahead(s, [s0] { return decode_into(s0); }); })
      ->ArgName("lead")
      ->Arg(1)
      ->UseManualTime();
  // reused_blocks and produced_rows per scenario (overhead_components.cpp): the make sides they
  // subtract.
  const auto make_sides = [](const std::string& name, size_t records) {
    const std::string at = "/batch:" + std::to_string(records);
    benchmark::RegisterBenchmark(("records/same_thread/make/" + name + at).c_str(),
                                 [name, records](benchmark::State& s) {
                                   same_thread(s, Side::Make, decode_into(name, records), false,
                                               records);
                                 })
        ->UseManualTime();
    benchmark::RegisterBenchmark(("records/other_reads_frees/make/" + name + at).c_str(),
                                 [name, records](benchmark::State& s) {
                                   ping_pong(
                                       s, Freer::User, Side::Make,
                                       [name, records] { return decode_into(name, records); },
                                       records);
                                 })
        ->UseManualTime();
  };
  // A batch's reuse is not the same per record at every batch size: s0's also at the queues
  // matrix's smaller batches, where the model prices those cells' reuse.
  for (const size_t records : {size_t{1}, size_t{100}}) make_sides(s0, records);
  for (const Scenario& sc : scenarios()) {
    const std::string name = sc.name;
    make_sides(name, kBatch);
    benchmark::RegisterBenchmark(("records/same_thread/produce/" + name + batch).c_str(),
                                 [name](benchmark::State& s) {
                                   same_thread(s, Side::Make, produce_into(name, true),
                                               /*free_made_untimed=*/true);
                                 })
        ->UseManualTime();
    benchmark::RegisterBenchmark(("records/other_reads_frees/produce/" + name + batch).c_str(),
                                 [name](benchmark::State& s) {
                                   ping_pong(s, Freer::User, Side::Make,
                                             [name] { return produce_into(name, false); });
                                 })
        ->UseManualTime();
    benchmark::RegisterBenchmark(
        ("records/overlapped_frees/make/" + name + batch).c_str(),
        [name](benchmark::State& s) { overlapped_frees(s, [name] { return decode_into(name); }); })
        ->UseManualTime();
    benchmark::RegisterBenchmark(("records/overlapped_frees/produce/" + name + batch).c_str(),
                                 [name](benchmark::State& s) {
                                   overlapped_frees(s,
                                                    [name] { return produce_into(name, false); });
                                 })
        ->UseManualTime();
  }
  return true;
}();

}  // namespace
}  // namespace sg

SG_BENCHMARK_MAIN()
