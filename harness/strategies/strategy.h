// A coordination strategy: one way of moving records from readers through engines to writers.
// Strategies are chosen by name at run time from the one list, strategy_list.def.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/job/job.h"

namespace sg {

// The JobConfig settings that only some strategies read. Batch size, engine, phase timing and
// pinning are read by all of them.
enum class Setting {
  Partitions,
  Queue,
  QueueCapacity,
  Routing,
  WriterMode,
  StreamingMode,
  LockKind,
  EndOfStream,  // JobConfig::end_by_empty_reads: the strategies that read through a DataReader
  Handoff       // JobConfig::handoff: the strategies that hand records between threads
};
const char* setting_name(Setting s);  // "queue capacity"

// The settings one strategy reads; a matrix varies the others for it not at all.
class StrategySettings {
 public:
  constexpr StrategySettings(std::initializer_list<Setting> read) {
    for (Setting s : read) bits_ |= 1u << static_cast<unsigned>(s);
  }
  constexpr bool reads(Setting s) const { return bits_ & (1u << static_cast<unsigned>(s)); }

 private:
  uint32_t bits_ = 0;
};

class Strategy {
 public:
  virtual ~Strategy() = default;
  virtual std::string_view name() const = 0;
  virtual StrategySettings settings() const = 0;
  // Whether, so configured, it does all of direct's work on one thread plus work of its own (a
  // lock, a queue, a hand-off), so that it cannot really beat direct: a paired ratio whose
  // interval says it does is flagged as an anomaly of the measurement, not printed as a result.
  // False where part of the work runs beside the engine on another thread (partitions, a sink
  // or a decoding reader on a thread of its own), which may truly beat direct.
  virtual bool does_direct_work_plus_more(const JobConfig&) const { return false; }

  // Why this config makes no sense for this strategy (a ROWS window without PARTITION BY split
  // over partitions), or nothing when it does. A matrix reports such cells as skipped, with why.
  std::optional<std::string> unsupported(const JobConfig& config, const JobInputs& inputs) const;

  // Runs the job. Never throws for errors of the job itself (source, sink, engine): they come
  // back as ok == false with the counts committed so far, after every thread has stopped.
  // An unsupported config comes back as skipped.
  RunResult run(const JobConfig& config, const JobInputs& inputs) const;

 protected:
  // The strategy-specific part of unsupported(); the common checks (batch size, partitions,
  // an engine to run) are done before it is called.
  virtual std::optional<std::string> reject(const JobConfig& config, Partitioning partitioning,
                                            const JobInputs& inputs) const = 0;
  // Fills the result; may throw for errors, which run() reports. Called only for supported
  // configs.
  virtual void execute(const JobConfig& config, const JobInputs& inputs,
                       RunResult& result) const = 0;
};

struct StrategyInfo {
  const char* name;
  const char* description;  // one line, for `streamgauge list`
  std::unique_ptr<Strategy> (*make)();
};

const std::vector<StrategyInfo>& strategies();
// nullptr when no strategy has that name.
std::unique_ptr<Strategy> make_strategy(std::string_view name);
// "direct, per_record_lock, ..." for error messages.
std::string strategy_names();
// The strategy every cell is compared with, and whose output every pass must reproduce.
const char* baseline_strategy();
// "lockless_stp, adaptive": the strategies that read `s`, for help texts.
std::string strategies_reading(Setting s);

// Each strategy file defines make_<name>_strategy(); strategy_list.def lists them.
#define SG_STRATEGY(name, description) std::unique_ptr<Strategy> make_##name##_strategy();
#include "harness/strategies/strategy_list.def"
#undef SG_STRATEGY

}  // namespace sg
