// `streamgauge latency` through CLI11 as main() runs it: a small sweep writes its JSON, a bad
// --rates or a missing scenario is refused, and streaming reads its open-loop source too.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"

using namespace sg;

namespace {

int run_latency_cli(std::vector<std::string> args) {
  CLI::App app{"streamgauge"};
  std::vector<const char*> argv = {"streamgauge", "latency"};
  for (const std::string& a : args) argv.push_back(a.c_str());
  add_latency_command(app, int(argv.size()), argv.data());
  try {
    app.parse(int(argv.size()), argv.data());
  } catch (const CommandExit& e) {
    return e.code;
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return 0;
}

const std::string kScenarios = std::string(STREAMGAUGE_SOURCE_DIR) + "/scenarios";

std::vector<std::string> small(const std::string& strategy, const std::string& out) {
  return {"--scenario",
          "s0_pure_select",
          "--strategy",
          strategy,
          "--rates",
          "20k,1%",
          "--duration",
          "0.05",
          "--repetitions",
          "1",
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
          out};
}

}  // namespace

TEST_CASE("latency command: a small sweep prints and writes every rate's percentiles") {
  auto dir = std::filesystem::temp_directory_path() / "sg-test-latency";
  std::filesystem::remove_all(dir);
  const auto out = dir / "l.json";
  REQUIRE(run_latency_cli(small("batch_lock", out.string())) == 0);
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
  std::vector<std::string> args = small("direct", out);
  args[5] = "20k,quickly";
  REQUIRE(run_latency_cli(args) != 0);
  REQUIRE(run_latency_cli({"--rates", "10%", "--scenarios", kScenarios}) != 0);  // no scenario
  REQUIRE(run_latency_cli(small("streaming", out)) == 0);
}
