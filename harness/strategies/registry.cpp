// The one table of strategies (from strategy_list.def), and what all of them check before
// running. An explicit list rather than self-registering statics: the linker drops unreferenced
// objects from static libraries, and with them their registrations.
#include <algorithm>
#include <exception>

#include "harness/job/thread_placement.h"
#include "harness/strategies/job_loop.h"
#include "harness/strategies/job_parts.h"
#include "harness/strategies/strategy.h"

namespace sg {

const std::vector<StrategyInfo>& strategies() {
  static const std::vector<StrategyInfo> table = {
#define SG_STRATEGY(name, description) {#name, description, make_##name##_strategy},
#include "harness/strategies/strategy_list.def"
#undef SG_STRATEGY
  };
  return table;
}

std::unique_ptr<Strategy> make_strategy(std::string_view name) {
  for (const StrategyInfo& info : strategies())
    if (name == info.name) return info.make();
  return nullptr;
}

std::string strategy_names() {
  std::string names;
  for (const StrategyInfo& info : strategies()) {
    if (!names.empty()) names += ", ";
    names += info.name;
  }
  return names;
}

const char* baseline_strategy() {
  return "direct";
}

std::string strategies_reading(Setting s) {
  std::string names;
  for (const StrategyInfo& info : strategies()) {
    if (!info.make()->settings().reads(s)) continue;
    if (!names.empty()) names += ", ";
    names += info.name;
  }
  return names;
}

const char* setting_name(Setting s) {
  switch (s) {
    case Setting::Partitions: return "partitions";
    case Setting::Queue: return "queue";
    case Setting::QueueCapacity: return "queue capacity";
    case Setting::Routing: return "routing";
    case Setting::WriterMode: return "writer mode";
    case Setting::StreamingMode: return "streaming mode";
    case Setting::LockKind: return "lock kind";
    case Setting::EndOfStream: return "end of stream";
    case Setting::Handoff: return "hand-off";
  }
  return "?";
}

std::optional<std::string> Strategy::unsupported(const JobConfig& config,
                                                 const JobInputs& inputs) const {
  const std::string who(name());
  if (config.batch_size == 0) return who + ": --batch-size must be at least 1";
  if (config.partitions < 1) return who + ": --partitions must be at least 1";
  if (config.queue_capacity == 0) return who + ": --queue-capacity must be at least 1";
  if (config.engine == EngineKind::Sql && !inputs.query)
    return who + ": engine 'sql' needs a query (use engine 'passthrough' to run without one)";
  if (!inputs.dataset && !inputs.make_reader) return who + ": the job has no input records";
  if (config.handoff != Handoff::Move && !settings().reads(Setting::Handoff))
    return who + ": --handoff applies only to the reader-to-worker hand-off of " +
           strategies_reading(Setting::Handoff);
  return reject(config, job_partitioning(config, inputs), inputs);
}

RunResult Strategy::run(const JobConfig& config, const JobInputs& inputs) const {
  RunResult result;
  result.strategy = std::string(name());
  if (auto why = unsupported(config, inputs)) {
    result.ok = false;
    result.skipped = true;
    result.error = *why;
    return result;
  }
  reset_peak_rss();
  ThreadPin pin(config.pin_threads, 0);  // the calling thread: slot 0 (thread_placement.h)
  try {
    execute(config, inputs, result);
  } catch (...) {
    // Strategies report job errors themselves, with counts; this catches what happens before a
    // job has parts to count (a reader or writer factory that throws).
    result.ok = false;
    result.error = describe_error(std::current_exception());
  }
  result.peak_rss_kb = peak_rss_kb();
  result.peak_rss_per_run = peak_rss_is_per_run();
  return result;
}

}  // namespace sg
