// The fault matrix: every strategy x {reader, writer, engine in partition p} x a random failing
// batch (several seeds) x partitions 1/2/4 x batch sizes 1/100, some behind a slow sink. Every
// run must stop with ok == false and an error that names the injected fault, report committed
// counts equal to what the sinks and sources really committed, and leave no thread behind. A
// hang fails the binary through run_with_watchdog.
#include <catch2/catch.hpp>

#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "harness/io/fault_injection.h"
#include "harness/strategies/job_parts.h"
#include "strategy_test_support.h"

using namespace sg;
using namespace sg::test;

namespace {

constexpr size_t kRows = 600;

// What one sink really holds: every row written, and how many of them were committed.
struct SinkLog {
  Batch rows;
  uint64_t committed = 0;
};

// What one source really committed.
struct SourceLog {
  uint64_t committed = 0;
};

// Logs stay alive after the strategy has destroyed its readers and writers.
struct Logs {
  std::mutex mutex;
  std::vector<std::shared_ptr<SinkLog>> sinks;
  std::vector<std::shared_ptr<SourceLog>> sources;

  uint64_t rows_written() {
    uint64_t n = 0;
    for (const auto& s : sinks) n += s->rows.size();
    return n;
  }
  uint64_t rows_committed() {
    uint64_t n = 0;
    for (const auto& s : sinks) n += s->committed;
    return n;
  }
  uint64_t records_committed() {
    uint64_t n = 0;
    for (const auto& s : sources) n += s->committed;
    return n;
  }
};

class LoggingWriter final : public DataWriter {
 public:
  explicit LoggingWriter(std::shared_ptr<SinkLog> log) : log_(std::move(log)) {}
  void write(std::span<const RecordPtr> rows) override {
    log_->rows.insert(log_->rows.end(), rows.begin(), rows.end());
  }
  void commit() override { log_->committed = log_->rows.size(); }
  uint64_t rows_written() const override { return log_->rows.size(); }
  uint64_t rows_committed() const override { return log_->committed; }

 private:
  std::shared_ptr<SinkLog> log_;
};

class LoggingReader final : public DataReader {
 public:
  LoggingReader(std::unique_ptr<DataReader> inner, std::shared_ptr<SourceLog> log)
      : inner_(std::move(inner)), log_(std::move(log)) {}
  ReadResult read(size_t max, Batch& out) override { return inner_->read(max, out); }
  void commit() override {
    inner_->commit();
    log_->committed = inner_->records_committed();
  }
  uint64_t records_read() const override { return inner_->records_read(); }
  uint64_t records_committed() const override { return inner_->records_committed(); }

 private:
  std::unique_ptr<DataReader> inner_;
  std::shared_ptr<SourceLog> log_;
};

WriterFactory logging_writers(std::shared_ptr<Logs> logs) {
  return [logs](int) -> std::unique_ptr<DataWriter> {
    auto log = std::make_shared<SinkLog>();
    std::lock_guard lock(logs->mutex);
    logs->sinks.push_back(log);
    return std::make_unique<LoggingWriter>(log);
  };
}

ReaderFactory logging_readers(std::shared_ptr<Logs> logs, ReaderFactory base) {
  return [logs, base](int partition, int partitions) -> std::unique_ptr<DataReader> {
    auto log = std::make_shared<SourceLog>();
    {
      std::lock_guard lock(logs->mutex);
      logs->sources.push_back(log);
    }
    return std::make_unique<LoggingReader>(base(partition, partitions), log);
  };
}

enum class FaultAt { Reader, Writer, Engine };
const char* fault_name(FaultAt f) {
  return f == FaultAt::Reader ? "reader" : f == FaultAt::Writer ? "writer" : "engine";
}

struct Cell {
  std::string strategy;
  FaultAt fault;
  int partitions;
  size_t batch;
  uint64_t seed;
};

// How many writers and readers a strategy makes (a fault aimed at a partition that has none
// would never fire).
int writer_count(const std::string& strategy, const JobConfig& c) {
  if (strategy == "lockless_stp") return c.partitions;
  if (strategy == "adaptive" && c.writer_mode == WriterMode::PerPartition) return c.partitions;
  return 1;
}
int reader_count(const std::string& strategy, const JobConfig& c) {
  return strategy == "lockless_stp" ? c.partitions : 1;
}


struct Outcome {
  uint64_t runs = 0;
  uint64_t faults = 0;
};

void run_cell(const Cell& cell, Outcome& outcome) {
  std::mt19937_64 rng(cell.seed);
  auto pick = [&](uint64_t below) { return below <= 1 ? 0 : rng() % below; };

  JobConfig config;
  config.engine = EngineKind::Passthrough;
  config.batch_size = cell.batch;
  config.partitions = cell.partitions;
  config.queue_capacity = 1 + pick(64);
  config.queue = queue_kinds()[pick(queue_kinds().size())].kind;
  config.writer_mode = pick(2) ? WriterMode::PerPartition : WriterMode::Shared;
  config.routing = pick(2) ? Routing::RoundRobin : Routing::Hash;
  config.streaming = all_streaming_modes()[pick(all_streaming_modes().size())];
  const bool slow = pick(4) == 0;

  auto logs = std::make_shared<Logs>();
  JobInputs in;
  in.dataset = make_trades(kRows);
  in.make_reader =
      logging_readers(logs, memory_reader_factory(in.dataset, Partitioning::Any, nullptr));
  WriterFactory writers = logging_writers(logs);
  if (slow) writers = slow_writer(writers, std::chrono::microseconds(20));

  // Where the fault fires: early enough that the partition it is aimed at surely gets there.
  const uint64_t p = static_cast<uint64_t>(cell.partitions);
  std::string expected_error;
  switch (cell.fault) {
    case FaultAt::Reader: {
      const int partition = static_cast<int>(pick(reader_count(cell.strategy, config)));
      const uint64_t batch = pick(kRows / (cell.batch * p * 2));
      in.make_reader = fail_reader_at(in.make_reader, batch, partition);
      expected_error = fmt::format("source error: injected fault: reader fails at batch {}", batch);
      break;
    }
    case FaultAt::Writer: {
      const int partition = static_cast<int>(pick(writer_count(cell.strategy, config)));
      const uint64_t batch = pick(kRows / (cell.batch * p * 4));
      writers = fail_writer_at(writers, batch, partition);
      expected_error = fmt::format("sink error: injected fault: writer fails at batch {}", batch);
      break;
    }
    case FaultAt::Engine: {
      const int partition = static_cast<int>(pick(p));
      const uint64_t record = pick(kRows / (p * 4));
      in.wrap_engine = fail_engine_at(record, partition);
      expected_error =
          fmt::format("engine error: injected fault: engine fails at record {}", record);
      break;
    }
  }
  in.make_writer = writers;

  auto strategy = make_strategy(cell.strategy);
  REQUIRE(strategy);
  if (strategy->unsupported(config, in)) return;  // e.g. direct with partitions 2

  const int threads_before = thread_count();
  const RunResult r = run_with_watchdog(*strategy, config, in, 60);
  ++outcome.runs;
  INFO(cell.strategy << " fault " << fault_name(cell.fault) << " partitions " << cell.partitions
                     << " batch " << cell.batch << " seed " << cell.seed << " queue "
                     << queue_kind_name(config.queue) << " capacity " << config.queue_capacity
                     << (slow ? " slow sink" : "") << ": " << r.error);
  REQUIRE_FALSE(r.skipped);
  REQUIRE_FALSE(r.ok);
  ++outcome.faults;
  REQUIRE(r.error == expected_error);
  // A pooled stream's producer stays parked in the strategy's pool until the strategy goes.
  if (cell.strategy == "streaming" && config.streaming == StreamingMode::Pooled) strategy.reset();
  REQUIRE(threads_back_to(threads_before));  // every thread of the run was joined
  require_phases_add_up(r);

  // The counts are what the sinks and sources really hold.
  REQUIRE(r.rows_written == logs->rows_written());
  REQUIRE(r.rows_committed == logs->rows_committed());
  REQUIRE(r.rows_committed <= r.rows_written);
  if (cell.strategy != "direct" && cell.strategy != "streaming") {
    REQUIRE(r.records_committed == logs->records_committed());
  }
  REQUIRE(r.records_committed <= r.records_read);
  REQUIRE(r.records_read <= kRows);
  // No row was written twice, and every row is one of the input records.
  std::set<int64_t> offsets;
  for (const auto& sink : logs->sinks) {
    for (const RecordPtr& row : sink->rows) {
      REQUIRE(row->meta().offset >= 0);
      REQUIRE(row->meta().offset < static_cast<int64_t>(kRows));
      REQUIRE(offsets.insert(row->meta().offset).second);
    }
  }
  // Passthrough: one row per record. Strategies that commit source and sink together never
  // commit a record whose row was not committed (adaptive commits its source only on success).
  if (cell.strategy == "adaptive") {
    REQUIRE(r.records_committed == 0);
  } else {
    REQUIRE(r.records_committed == r.rows_committed);
  }
  // Single-loop strategies fail at an exactly predictable point.
  const bool single_loop =
      cell.partitions == 1 && cell.strategy != "adaptive" && cell.strategy != "streaming" && !slow;
  if (single_loop && cell.fault == FaultAt::Engine) {
    const uint64_t record = std::stoull(expected_error.substr(expected_error.rfind(' ') + 1));
    REQUIRE(r.rows_committed == record / cell.batch * cell.batch);
  }
  if (single_loop && cell.fault == FaultAt::Writer) {
    const uint64_t batch = std::stoull(expected_error.substr(expected_error.rfind(' ') + 1));
    REQUIRE(r.rows_committed == batch * cell.batch);
  }
  if (single_loop && cell.fault == FaultAt::Reader) {
    const uint64_t batch = std::stoull(expected_error.substr(expected_error.rfind(' ') + 1));
    REQUIRE(r.records_committed == batch * cell.batch);
  }
}

}  // namespace

TEST_CASE("fault matrix: every strategy stops cleanly with exact counts at any fault") {
  Outcome outcome;
  uint64_t seed = 1;
  for (const StrategyInfo& info : strategies()) {
    const std::string name = info.name;
    for (FaultAt fault : {FaultAt::Reader, FaultAt::Writer, FaultAt::Engine}) {
      // direct and streaming run over the in-memory dataset by design: no reader to fail.
      if (fault == FaultAt::Reader && (name == "direct" || name == "streaming")) continue;
      for (int partitions : {1, 2, 4}) {
        for (size_t batch : {size_t{1}, size_t{100}}) {
          for (int s = 0; s < 3; ++s) run_cell({name, fault, partitions, batch, seed++}, outcome);
        }
      }
    }
  }
  // Every strategy ran at least its single-partition cells.
  REQUIRE(outcome.runs >= strategies().size() * 2 * 2 * 3);
  REQUIRE(outcome.faults == outcome.runs);
  WARN("fault matrix: " << outcome.runs << " runs, " << outcome.faults << " faults injected");
}
