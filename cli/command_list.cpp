// `streamgauge list`: what can be run, one line each.
#include <iostream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "harness/job/job.h"
#include "harness/strategies/result_stream.h"
#include "harness/strategies/strategy.h"
#include "harness/workload/scenario.h"

namespace sg {

void add_list_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("list", "list scenarios, strategies, queues and engines");
  auto dir = std::make_shared<std::string>();
  cmd->add_option("--scenarios", *dir, "folder of scenario files")->default_str("scenarios/");
  cmd->callback([dir] {
    auto path = dir->empty() ? default_scenario_dir() : std::filesystem::path(*dir);
    fmt::print("scenarios ({}):\n", path.string());
    for (const Scenario& s : load_scenarios(path)) {
      fmt::print("  {:<28} {}\n", s.name, s.description);
    }
    fmt::print("\nstrategies:\n");
    for (const StrategyInfo& s : strategies()) fmt::print("  {:<28} {}\n", s.name, s.description);
    fmt::print("\nsettings that only some strategies read:\n");
    for (Setting setting :
         {Setting::Partitions, Setting::Queue, Setting::QueueCapacity, Setting::Routing,
          Setting::WriterMode, Setting::StreamingMode, Setting::LockKind})
      fmt::print("  {:<28} {}\n", setting_name(setting), strategies_reading(setting));
    fmt::print("\nqueues ({} --queue):\n", strategies_reading(Setting::Queue));
    for (const QueueInfo& q : queue_kinds()) fmt::print("  {:<28} {}\n", q.name, q.description);
    fmt::print("\nstreaming modes ({} --streaming):\n", strategies_reading(Setting::StreamingMode));
    for (StreamingMode m : all_streaming_modes())
      fmt::print("  {:<28} {}\n", streaming_mode_name(m), streaming_mode_description(m));
    fmt::print("\nengines (--engine):\n");
    fmt::print("  {:<28} {}\n", engine_kind_name(EngineKind::Sql),
               "the streaming SQL engine running the scenario's query");
    fmt::print("  {:<28} {}\n", engine_kind_name(EngineKind::Passthrough),
               "returns each input record as output, no SQL work: pure coordination cost");
  });
}

}  // namespace sg
