#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_test_support.h"

using namespace sg;
using sg::test::kScenarios;

namespace {

// sg::test::run_cli() with `run` and `matrix`. These tests write fixed paths; a rerun replaces
// them (tests/cli/test_command_matrix.cpp checks the refusal without --force).
int run_cli(std::vector<std::string> args) {
  if (std::find(args.begin(), args.end(), "--out") != args.end()) args.push_back("--force");
  return sg::test::run_cli(args, sg::test::add_run_and_matrix);
}

nlohmann::json read(const std::filesystem::path& p) {
  std::ifstream in(p);
  return nlohmann::json::parse(in);
}

}  // namespace

TEST_CASE("run: one cell and its direct baseline, both checked and written as JSON and CSV") {
  auto dir = std::filesystem::temp_directory_path() / "sg-test-run";
  std::filesystem::remove_all(dir);
  auto out = dir / "r.json";
  int code = run_cli({"run", "--scenario", "s2_group_by", "--strategy", "lockless_stp",
                      "--partitions", "2", "--records", "3000", "--repetitions", "2", "--warmup",
                      "0", "--quiet", "--scenarios", kScenarios, "--out", out.string()});
  REQUIRE(code == 0);
  nlohmann::json j = read(out);
  REQUIRE(j["cells"].size() == 2);
  size_t ok = 0;
  for (const auto& c : j["cells"]) ok += c["status"] == "ok";
  REQUIRE(ok == 2);  // direct (p1) and lockless_stp (p2)
  REQUIRE(std::filesystem::exists(dir / "r.csv"));
}

TEST_CASE("run: --no-phase-timing and --streaming reach the cell") {
  auto out = std::filesystem::temp_directory_path() / "sg-test-run" / "s.json";
  int code = run_cli({"run", "--scenario", "startup_small_results", "--strategy", "streaming",
                      "--streaming", "spawnless", "--no-phase-timing", "--no-baseline",
                      "--records", "2000", "--repetitions", "1", "--warmup", "0", "--quiet",
                      "--scenarios", kScenarios, "--out", out.string()});
  REQUIRE(code == 0);
  nlohmann::json cell = read(out)["cells"][0];
  REQUIRE(cell["status"] == "ok");
  REQUIRE(cell["config"]["streaming"] == "spawnless");
  REQUIRE(cell["config"]["phase_timing"] == false);
}

TEST_CASE("run: --streaming pooled and --queue-capacity reach the cell") {
  auto out = std::filesystem::temp_directory_path() / "sg-test-run" / "pooled.json";
  int code = run_cli({"run", "--scenario", "startup_small_results", "--strategy", "streaming",
                      "--streaming", "pooled", "--queue-capacity", "4096", "--no-baseline",
                      "--records", "2000", "--repetitions", "2", "--warmup", "1", "--quiet",
                      "--scenarios", kScenarios, "--out", out.string()});
  REQUIRE(code == 0);
  nlohmann::json cell = read(out)["cells"][0];
  REQUIRE(cell["status"] == "ok");
  REQUIRE(cell["config"]["streaming"] == "pooled");
  REQUIRE(cell["config"]["queue_capacity"] == 4096);
  REQUIRE(cell["samples"].size() == 2);
  REQUIRE(run_cli({"run", "--scenario", "startup_small_results", "--strategy", "streaming",
                   "--streaming", "pooledd", "--scenarios", kScenarios}) != 0);
}

TEST_CASE("run: --pin pins the cell and its direct baseline") {
  auto out = std::filesystem::temp_directory_path() / "sg-test-run" / "pinned.json";
  int code = run_cli({"run", "--scenario", "s2_group_by", "--strategy", "lockless_stp",
                      "--partitions", "2", "--pin", "--records", "2000", "--repetitions", "1",
                      "--warmup", "0", "--quiet", "--scenarios", kScenarios, "--out",
                      out.string()});
  REQUIRE(code == 0);
  int measured = 0;
  const nlohmann::json result = read(out);
  REQUIRE(result["cells"].size() == 2);  // direct ignores partitions: no p2 cell for it
  for (const auto& cell : result["cells"]) {
    INFO(cell["id"]);
    REQUIRE(cell["id"].get<std::string>().ends_with("/pinned"));
    REQUIRE(cell["status"] == "ok");
    REQUIRE(cell["config"]["pin_threads"] == true);
    ++measured;
  }
  REQUIRE(measured == 2);
}

TEST_CASE("run: a strategy that ignores --partitions runs on one, and its baseline beside it") {
  auto out = std::filesystem::temp_directory_path() / "sg-test-run" / "ignored.json";
  int code = run_cli({"run", "--scenario", "s0_pure_select", "--strategy", "batch_lock",
                      "--partitions", "2", "--records", "2000", "--repetitions", "1", "--warmup",
                      "0", "--quiet", "--scenarios", kScenarios, "--out", out.string()});
  REQUIRE(code == 0);
  const nlohmann::json cells = read(out)["cells"];
  REQUIRE(cells.size() == 2);
  REQUIRE(cells[0]["id"] == "s0_pure_select/direct/sql/b1000/p1/n2000");
  REQUIRE(cells[1]["id"] == "s0_pure_select/batch_lock/sql/b1000/p1/n2000");
  for (const auto& cell : cells) REQUIRE(cell["status"] == "ok");
}

TEST_CASE("run and matrix: unknown names are clear errors") {
  REQUIRE(run_cli({"run", "--scenario", "nope", "--scenarios", kScenarios}) != 0);
  REQUIRE(run_cli({"run", "--scenario", "s0_pure_select", "--strategy", "fast", "--scenarios",
                   kScenarios}) != 0);
  REQUIRE_THROWS_WITH(run_cli({"matrix", "/nonexistent.toml", "--scenarios", kScenarios}),
                      Catch::Contains("no such file"));
}

TEST_CASE("run: --end-of-stream empty-reads reaches the reader-based cell, not direct") {
  // Its own folder: the first test here clears sg-test-run, and ctest may run them at once.
  auto out = std::filesystem::temp_directory_path() / "sg-test-run-eos" / "eos.json";
  int code = run_cli({"run", "--scenario", "s0_pure_select", "--strategy", "batch_lock",
                      "--end-of-stream", "empty-reads", "--empty-reads", "2",
                      "--empty-read-sleep-ms", "1", "--records", "2000", "--repetitions", "1",
                      "--warmup", "0", "--quiet", "--scenarios", kScenarios, "--out",
                      out.string()});
  REQUIRE(code == 0);
  const nlohmann::json cells = read(out)["cells"];
  REQUIRE(cells.size() == 2);
  REQUIRE(cells[0]["id"] == "s0_pure_select/direct/sql/b1000/p1/n2000");
  REQUIRE_FALSE(cells[0]["config"].contains("end_of_stream"));
  REQUIRE(cells[1]["id"] == "s0_pure_select/batch_lock/sql/b1000/p1/n2000/eos-empty2x1ms");
  REQUIRE(cells[1]["config"]["end_of_stream"]["empty_reads"] == 2);
  REQUIRE(cells[1]["config"]["end_of_stream"]["sleep_ms"] == 1);
  for (const auto& cell : cells) REQUIRE(cell["status"] == "ok");
  // The rule's numbers need the rule, and the rule has two names only.
  REQUIRE(run_cli({"run", "--scenario", "s0_pure_select", "--strategy", "batch_lock",
                   "--empty-reads", "2", "--scenarios", kScenarios}) != 0);
  REQUIRE(run_cli({"run", "--scenario", "s0_pure_select", "--strategy", "batch_lock",
                   "--end-of-stream", "timeout", "--scenarios", kScenarios}) != 0);
}

TEST_CASE("run: --source reaches the cell and its direct baseline; an unknown one is refused") {
  auto out = std::filesystem::temp_directory_path() / "sg-test-run-source" / "source.json";
  int code = run_cli({"run", "--scenario", "s0_pure_select", "--strategy", "lockless_stp",
                      "--partitions", "2", "--source", "materialized", "--records", "2000",
                      "--repetitions", "1", "--warmup", "0", "--quiet", "--scenarios",
                      kScenarios, "--out", out.string()});
  REQUIRE(code == 0);
  const nlohmann::json cells = read(out)["cells"];
  REQUIRE(cells.size() == 2);
  REQUIRE(cells[0]["id"] == "s0_pure_select/direct/sql/b1000/p1/n2000/src-materialized");
  REQUIRE(cells[1]["id"] == "s0_pure_select/lockless_stp/sql/b1000/p2/n2000/src-materialized");
  for (const auto& cell : cells) {
    REQUIRE(cell["status"] == "ok");
    REQUIRE(cell["config"]["source"] == "materialized");
  }
}
