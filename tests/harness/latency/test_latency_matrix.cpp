// Latency matrix files: the committed one loads (full and quick), cells cross scenarios,
// strategies and linger times, and a bad key or name is named with its file.
#include <catch2/catch.hpp>

#include <filesystem>

#include "harness/latency/latency_matrix.h"

using namespace sg;

namespace {

const std::vector<Scenario>& scenarios() {
  static const std::vector<Scenario> all =
      load_scenarios(std::filesystem::path(STREAMGAUGE_SOURCE_DIR) / "scenarios");
  return all;
}

const char* kSmall = R"(
name = "t"
scenarios = ["s0_pure_select", "s2_group_by"]
strategies = ["direct", "adaptive"]
rates = "50%,20k"
batch_size = 10
partitions = 2
linger_us = [0, 500]
repetitions = 4
[quick]
repetitions = 1
)";

}  // namespace

TEST_CASE("latency matrix: the committed files load, full and quick") {
  const char* name = GENERATE("latency.toml", "latency_linger.toml");
  const auto file = std::filesystem::path(STREAMGAUGE_SOURCE_DIR) / "scenarios/matrix" / name;
  const LatencyMatrix full = load_latency_matrix(file, scenarios(), false);
  const LatencyMatrix quick = load_latency_matrix(file, scenarios(), true);
  REQUIRE(!full.cells.empty());
  REQUIRE(full.cells.size() == quick.cells.size());
  REQUIRE(quick.cells[0].spec.repetitions <= full.cells[0].spec.repetitions);
  REQUIRE(quick.cells[0].spec.duration_s < full.cells[0].spec.duration_s);
  for (const LatencyCell& c : full.cells) REQUIRE(make_strategy(c.spec.strategy) != nullptr);
}

TEST_CASE("latency matrix: cells cross scenarios x strategies x linger times") {
  const LatencyMatrix m = parse_latency_matrix(kSmall, "t.toml", scenarios(), false);
  REQUIRE(m.cells.size() == 2 * 2 * 2);
  REQUIRE(m.cells[0].scenario->name == "s0_pure_select");
  REQUIRE(m.cells[0].spec.strategy == "direct");
  REQUIRE(m.cells[0].spec.config.partitions == 1);  // direct reads no partition count
  REQUIRE(m.cells[1].spec.linger_ns == 500'000);
  REQUIRE(m.cells[2].spec.strategy == "adaptive");
  REQUIRE(m.cells[2].spec.config.partitions == 2);
  REQUIRE(m.cells[2].spec.config.batch_size == 10);
  REQUIRE(m.cells[2].spec.rates.size() == 2);
  REQUIRE(m.cells[2].spec.rates[0].share_of_peak);
  REQUIRE(m.cells[2].spec.repetitions == 4);
  REQUIRE(parse_latency_matrix(kSmall, "t.toml", scenarios(), true).cells[0].spec.repetitions == 1);
}

TEST_CASE("latency matrix: batch_sizes is a dimension beside linger_us") {
  std::string text = kSmall;
  text.replace(text.find("batch_size = 10"), 15, "batch_sizes = [10, 100]");
  const LatencyMatrix m = parse_latency_matrix(text, "t.toml", scenarios(), false);
  REQUIRE(m.cells.size() == 2 * 2 * 2 * 2);
  // Per strategy: batch sizes, then linger times within each.
  REQUIRE(m.cells[0].spec.config.batch_size == 10);
  REQUIRE(m.cells[1].spec.config.batch_size == 10);
  REQUIRE(m.cells[1].spec.linger_ns == 500'000);
  REQUIRE(m.cells[2].spec.config.batch_size == 100);
  REQUIRE(m.cells[2].spec.linger_ns == 0);
  REQUIRE(m.cells[3].spec.config.batch_size == 100);
  REQUIRE(m.cells[4].spec.strategy == "adaptive");
  REQUIRE(m.cells[4].spec.config.batch_size == 10);

  REQUIRE_THROWS_WITH(
      parse_latency_matrix("batch_size = 10\n" + text, "t.toml", scenarios(), false),
      Catch::Contains("t.toml") && Catch::Contains("not both"));
  text.replace(text.find("[10, 100]"), 9, "[10, 0]");
  REQUIRE_THROWS_WITH(parse_latency_matrix(text, "t.toml", scenarios(), false),
                      Catch::Contains("batch_sizes") && Catch::Contains("at least 1"));
}

TEST_CASE("latency matrix: a bad key, name or rate is named with its file") {
  const std::string base = kSmall;
  REQUIRE_THROWS_WITH(parse_latency_matrix(base + "colour = 1\n", "t.toml", scenarios(), false),
                      Catch::Contains("t.toml") && Catch::Contains("colour"));
  std::string bad = base;
  bad.replace(bad.find("\"adaptive\""), 10, "\"fastest\"");
  REQUIRE_THROWS_WITH(parse_latency_matrix(bad, "t.toml", scenarios(), false),
                      Catch::Contains("unknown strategy 'fastest'"));
  bad = base;
  bad.replace(bad.find("50%,20k"), 7, "50%,soon");
  REQUIRE_THROWS_WITH(parse_latency_matrix(bad, "t.toml", scenarios(), false),
                      Catch::Contains("entry 2 'soon'"));
  bad = base;
  bad.replace(bad.find("s2_group_by"), 11, "s9_missing");
  REQUIRE_THROWS_WITH(parse_latency_matrix(bad, "t.toml", scenarios(), false),
                      Catch::Contains("unknown scenario 's9_missing'"));
}
