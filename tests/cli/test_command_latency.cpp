// `streamgauge latency` through CLI11 as main() runs it: a small sweep writes its JSON, a bad
// --rates or a missing scenario is refused, and streaming reads its open-loop source too.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_test_support.h"

using namespace sg;
using namespace sg::test;

TEST_CASE("latency command: a small sweep prints and writes every rate's percentiles") {
  auto dir = std::filesystem::temp_directory_path() / "sg-test-latency";
  std::filesystem::remove_all(dir);
  const auto out = dir / "l.json";
  REQUIRE(run_cli(small_latency_sweep("batch_lock", out.string()), add_latency_command) == 0);
  std::ifstream in(out);
  const nlohmann::json j = nlohmann::json::parse(in);
  REQUIRE(j.at("format") == "streamgauge-latency/1");
  REQUIRE(j.at("environment").contains("cpu_model"));
  const auto& cell = j.at("cells").at(0);
  REQUIRE(cell.at("scenario") == "s0_pure_select");
  REQUIRE(cell.at("strategy") == "batch_lock");
  REQUIRE(cell.at("rates").size() == 2);
  REQUIRE(cell.at("rates")[0].at("ok") == true);
  REQUIRE(cell.at("rates")[0].at("offered_rate") == 20000.0);
  REQUIRE(cell.at("rates")[0].at("latency_ns").at("count").get<uint64_t>() > 0);
}

TEST_CASE("latency command: bad flags are refused, and streaming runs open-loop") {
  const auto out = (std::filesystem::temp_directory_path() / "sg-test-latency" / "x.json").string();
  std::vector<std::string> args = small_latency_sweep("direct", out);
  *std::next(std::find(args.begin(), args.end(), "--rates")) = "20k,quickly";
  REQUIRE(run_cli(args, add_latency_command) != 0);
  REQUIRE(run_cli({"latency", "--rates", "10%", "--scenarios", kScenarios}, add_latency_command) !=
          0);  // no scenario
  REQUIRE(run_cli(small_latency_sweep("streaming", out), add_latency_command) == 0);
}
