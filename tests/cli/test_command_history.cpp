// `streamgauge history` through CLI11 as main() runs it, on latency runs appended by
// `streamgauge latency --history`: each offered rate is listed with its p50/p99/p99.9.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "../harness/temp_dir.h"
#include "cli_test_support.h"
#include "harness/analysis/history.h"

using namespace sg;
using namespace sg::test;

TEST_CASE("history command: latency runs appended with --history list p50/p99/p99.9 per rate") {
  sg::test::TempDir dir;
  const std::string db = dir.file("h.sqlite");
  for (int run = 0; run < 2; ++run) {
    std::vector<std::string> args =
        small_latency_sweep("batch_lock", dir.file("l" + std::to_string(run) + ".json"), 2);
    args.insert(args.end(), {"--history", db});
    const auto [code, out] = run_cli_printing(args, add_latency_command);
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

  const auto [code, listing] = run_cli_printing(
      {"history", "--scenario", "s0_pure_select", "--strategy", "batch_lock", "--db", db},
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

  const auto [none_code, none] = run_cli_printing(
      {"history", "--scenario", "s0_pure_select", "--strategy", "adaptive", "--db", db},
      add_history);
  REQUIRE(none_code == 0);
  REQUIRE(none.find("no entries") != std::string::npos);
}
