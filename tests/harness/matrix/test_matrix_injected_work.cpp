// The inject_work dimension: the overhead model's validation cells. Every strategy but direct
// gets a cell per listed count; direct stays at 0, so it stays every cell's baseline.
#include <catch2/catch.hpp>

#include <map>

#include "engine/query.h"
#include "harness/matrix/environment.h"
#include "harness/matrix/matrix.h"
#include "harness/matrix/matrix_runner.h"
#include "harness/matrix/result_output.h"

using namespace sg;

TEST_CASE("matrix: inject_work adds work to every strategy but direct, compared with direct") {
  const std::vector<Scenario> all =
      load_scenarios(std::filesystem::path(STREAMGAUGE_SOURCE_DIR) / "scenarios");
  const MatrixSpec spec = parse_matrix(
      "name='m'\nscenarios=['s2_group_by']\nstrategies=['direct', 'batch_lock']\n"
      "inject_work=[0, 50]\nrecords=[300]\nrepetitions=1\nwarmup=0\ncell_budget_s=0\n"
      "instrumented_repetitions=0\n",
      "m.toml", all, false);
  const MatrixResult r = run_matrix(spec, all, capture_environment(0, nullptr), {});
  std::map<std::string, const CellResult*> by_id;
  for (const CellResult& c : r.cells) by_id[c.cell.id()] = &c;
  REQUIRE(by_id.size() == 3);  // direct once, batch_lock with 0 and with 50 rounds
  const std::string direct = "s2_group_by/direct/sql/b1000/p1/n300";
  const std::string plain = "s2_group_by/batch_lock/sql/b1000/p1/n300";
  REQUIRE(by_id.count(direct) == 1);
  REQUIRE(by_id.count(plain) == 1);
  REQUIRE(by_id.count(plain + "/w50") == 1);
  const CellResult& injected = *by_id.at(plain + "/w50");
  CHECK(injected.cell.injected_work == 50);
  CHECK(injected.cell.baseline_id() == direct);
  // The added work changes no output: the pass is checked against direct's digest.
  CHECK(injected.status == CellStatus::Ok);
  const nlohmann::json j = to_json(r);
  for (const nlohmann::json& c : j["cells"]) {
    INFO(c["id"]);
    CHECK(c["config"].value("injected_work", 0u) == (c["id"] == plain + "/w50" ? 50u : 0u));
  }
}

TEST_CASE("matrix: inject_work must be whole rounds") {
  const std::vector<Scenario> all =
      load_scenarios(std::filesystem::path(STREAMGAUGE_SOURCE_DIR) / "scenarios");
  auto parse = [&](const std::string& list) {
    return parse_matrix("name='m'\nscenarios=['*']\nstrategies=['direct']\ninject_work=" + list +
                            "\n",
                        "m.toml", all, false);
  };
  CHECK_THROWS_WITH(parse("[-1]"), Catch::Contains("inject_work") && Catch::Contains("0 to 1000000"));
  CHECK_THROWS_WITH(parse("['lots']"), Catch::Contains("whole number of rounds"));
  CHECK_THROWS_WITH(parse("[]"), Catch::Contains("at least one"));
  CHECK_THROWS_WITH(parse("400"), Catch::Contains("inject_work") && Catch::Contains("array"));
}
