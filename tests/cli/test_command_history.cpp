// `streamgauge history` through CLI11 as main() runs it, on latency runs appended by
// `streamgauge latency --history`: each offered rate is listed with its p50/p99/p99.9.
#include <catch2/catch.hpp>

#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "../harness/temp_dir.h"
#include "cli/commands.h"
#include "harness/analysis/history.h"

using namespace sg;

namespace {

// Runs `streamgauge NAME ARGS...` with `add` registering NAME; returns the exit code and what it
// printed on stdout.
std::pair<int, std::string> run_cli(const std::string& name, std::vector<std::string> args,
                                    const std::function<void(CLI::App&, int, const char**)>& add) {
  CLI::App app{"streamgauge"};
  std::vector<const char*> argv = {"streamgauge", name.c_str()};
  for (const std::string& a : args) argv.push_back(a.c_str());
  add(app, int(argv.size()), argv.data());
  std::ostringstream captured;
  std::streambuf* old = std::cout.rdbuf(captured.rdbuf());
  int code = 0;
  try {
    app.parse(int(argv.size()), argv.data());
  } catch (const CommandExit& e) {
    code = e.code;
  } catch (const CLI::ParseError& e) {
    code = app.exit(e);
  }
  std::cout.rdbuf(old);
  return {code, captured.str()};
}

const std::string kScenarios = std::string(STREAMGAUGE_SOURCE_DIR) + "/scenarios";

}  // namespace

TEST_CASE("history command: latency runs appended with --history list p50/p99/p99.9 per rate") {
  sg::test::TempDir dir;
  const std::string db = dir.file("h.sqlite");
  auto add_latency = [](CLI::App& app, int argc, const char** argv) {
    add_latency_command(app, argc, argv);
  };
  for (int run = 0; run < 2; ++run) {
    const auto [code, out] = run_cli("latency",
                                     {"--scenario",
                                      "s0_pure_select",
                                      "--strategy",
                                      "batch_lock",
                                      "--rates",
                                      "20k,1%",
                                      "--duration",
                                      "0.05",
                                      "--repetitions",
                                      "2",
                                      "--peak-records",
                                      "5000",
                                      "--peak-repetitions",
                                      "1",
                                      "--batch-size",
                                      "50",
                                      "--quiet",
                                      "--scenarios",
                                      kScenarios,
                                      "--out",
                                      dir.file("l" + std::to_string(run) + ".json"),
                                      "--history",
                                      db},
                                     add_latency);
    REQUIRE(code == 0);
  }
  HistoryQuery q;
  q.scenario = "s0_pure_select";
  q.strategy = "batch_lock";
  const std::vector<LatencyHistoryEntry> kept = History(db).latency_cells(q);
  REQUIRE(kept.size() == 4);  // 2 runs x 2 rates
  for (const LatencyHistoryEntry& e : kept) {
    REQUIRE(e.status == "ok");
    REQUIRE(e.p99_passes_ns.size() == 2);
    REQUIRE(e.p50_ns > 0);
    REQUIRE(e.p50_ns <= e.p99_ns);
    REQUIRE(e.p99_ns <= e.p99_9_ns);
    REQUIRE(e.peak_records_per_s > 0);
  }
  REQUIRE(kept[0].offered_rate == 20000.0);

  auto add_history = [](CLI::App& app, int, const char**) { add_history_command(app); };
  const auto [code, listing] =
      run_cli("history", {"--scenario", "s0_pure_select", "--strategy", "batch_lock", "--db", db},
              add_history);
  REQUIRE(code == 0);
  INFO(listing);
  REQUIRE(listing.find("p50 ms") != std::string::npos);
  REQUIRE(listing.find("p99 ms") != std::string::npos);
  REQUIRE(listing.find("p99.9 ms") != std::string::npos);
  REQUIRE(listing.find("s0_pure_select/batch_lock/sql/b50/p1/linger0us/rate 20k") !=
          std::string::npos);
  REQUIRE(listing.find("4 latency entries") != std::string::npos);
  // The p99 printed is the one kept, in ms.
  REQUIRE(listing.find(fmt::format("{:.3f}", kept[0].p99_ns / 1e6)) != std::string::npos);

  const auto [none_code, none] =
      run_cli("history", {"--scenario", "s0_pure_select", "--strategy", "adaptive", "--db", db},
              add_history);
  REQUIRE(none_code == 0);
  REQUIRE(none.find("no entries") != std::string::npos);
}
