#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>

#include "engine/query.h"
#include "harness/workload/scenario.h"

using namespace sg;

namespace {

std::filesystem::path scenario_dir() { return std::filesystem::path(STREAMGAUGE_SOURCE_DIR) / "scenarios"; }

std::filesystem::path write_temp(const std::string& name, const std::string& text) {
  auto dir = std::filesystem::temp_directory_path() / "streamgauge-test-scenario";
  std::filesystem::create_directories(dir);
  auto path = dir / name;
  std::ofstream(path) << text;
  return path;
}

const char* kMinimal = R"(
name = "tiny"
sql = "SELECT id FROM t WHERE id > 1"
records = 10
[generator]
seed = 7
[[generator.fields]]
name = "id"
type = "integer"
distribution = "sequence"
)";

}  // namespace

TEST_CASE("every shipped scenario loads, and its SQL compiles against its generator's schema") {
  std::vector<Scenario> all = load_scenarios(scenario_dir());
  std::vector<std::string> names;
  for (const Scenario& s : all) names.push_back(s.name);
  for (const char* expected : {"s0_pure_select", "s1_rows_window", "s2_group_by", "s3a_tumbling",
                               "s3b_tumbling_emit_changes", "filter_value_gt_50", "group_by_5_aggs",
                               "startup_small_results"}) {
    INFO(expected);
    REQUIRE(std::find(names.begin(), names.end(), expected) != names.end());
  }
  for (const Scenario& s : all) {
    INFO(s.file.string());
    REQUIRE(s.records > 0);
    REQUIRE_NOTHROW(CompiledQuery::compile(s.sql, Generator(s.generator).schema()));
  }
  auto startup = std::find_if(all.begin(), all.end(),
                              [](const Scenario& s) { return s.name == "startup_small_results"; });
  REQUIRE(startup->record_counts == std::vector<uint64_t>{10000, 100000, 1000000});
}

TEST_CASE("a scenario's generated batches hold distinct records with increasing event times") {
  for (const Scenario& s : load_scenarios(scenario_dir())) {
    INFO(s.name);
    Dataset d = generate_dataset(s.generator, 1000);
    REQUIRE(d.records.size() == 1000);
    std::set<uint64_t> hashes;
    for (const RecordPtr& r : d.records) hashes.insert(r->row_hash());
    REQUIRE(hashes.size() == d.records.size());
    for (size_t i = 1; i < d.records.size(); ++i) {
      REQUIRE(d.records[i]->event_time() >= d.records[i - 1]->event_time());
    }
  }
}

TEST_CASE("a minimal scenario file loads with defaults") {
  Scenario s = load_scenario(write_temp("tiny.toml", kMinimal));
  REQUIRE(s.name == "tiny");
  REQUIRE(s.records == 10);
  REQUIRE(s.check.same_as_direct);
  REQUIRE(s.generator.fields.size() == 1);
}

TEST_CASE("scenario file errors name the file, the place and the key") {
  SECTION("a typo in a key") {
    std::string text = "recods = 5\n" + std::string(kMinimal);
    auto path = write_temp("typo.toml", text);
    REQUIRE_THROWS_WITH(load_scenario(path), Catch::Contains("typo.toml:") &&
                                                 Catch::Contains("key 'recods': unknown key"));
  }
  SECTION("a missing key") {
    auto path = write_temp("nosql.toml", "name = \"x\"\nrecords = 5\n");
    REQUIRE_THROWS_WITH(load_scenario(path), Catch::Contains("missing required key 'sql'"));
  }
  SECTION("a TOML syntax error has a line and column") {
    auto path = write_temp("syntax.toml", "name = \"x\"\nrecords = = 5\n");
    REQUIRE_THROWS_WITH(load_scenario(path), Catch::Contains("syntax.toml:2:"));
  }
  SECTION("a wrong type") {
    std::string text = kMinimal;
    text.replace(text.find("records = 10"), 12, "records = \"ten\"");
    REQUIRE_THROWS_WITH(load_scenario(write_temp("type.toml", text)),
                        Catch::Contains("key 'records': expected an integer"));
  }
  SECTION("a bad generator field is named") {
    std::string text = kMinimal;
    text.replace(text.find("\"sequence\""), 10, "\"zipfian\"");
    REQUIRE_THROWS_WITH(load_scenario(write_temp("dist.toml", text)),
                        Catch::Contains("dist.toml") && Catch::Contains("id"));
  }
  SECTION("a missing file") {
    REQUIRE_THROWS_WITH(load_scenario("/nonexistent/x.toml"), Catch::Contains("no such file"));
  }
}
