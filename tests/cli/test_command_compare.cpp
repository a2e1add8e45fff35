// `compare`'s exit status: 0 no regression, 1 a regression, 2 bad input or nothing in common.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "../harness/temp_dir.h"
#include "cli_test_support.h"

using namespace sg;
using namespace sg::test;

namespace {

// A matrix result with one cell per id, five repetitions of about `ns` each.
std::string matrix_result(const std::vector<std::string>& ids, double ns) {
  nlohmann::json cells = nlohmann::json::array();
  for (const std::string& id : ids) {
    nlohmann::json samples = nlohmann::json::array();
    for (int i = 0; i < 5; ++i) samples.push_back({{"wall_ns", ns * (1 + 0.001 * i)}});
    cells.push_back({{"id", id}, {"status", "ok"}, {"samples", samples}});
  }
  return nlohmann::json{{"format", "streamgauge-matrix-result/1"}, {"cells", cells}}.dump();
}

}  // namespace

TEST_CASE("compare: exit 0 same, 1 regression, 2 bad input or nothing in common") {
  sg::test::TempDir dir;
  const std::string base = dir.write("base.json", matrix_result({"s0/direct", "s0/batch"}, 1e6));
  const std::string same = dir.write("same.json", matrix_result({"s0/direct", "s0/batch"}, 1e6));
  const std::string slow = dir.write("slow.json", matrix_result({"s0/direct", "s0/batch"}, 2e6));
  const std::string other = dir.write("other.json", matrix_result({"s9/direct"}, 1e6));
  const std::string gbench = dir.write(
      "gb.json",
      R"({"context":{},"benchmarks":[{"name":"s0/direct","real_time":1,"time_unit":"ms"}]})");
  const std::string instr =
      dir.write("i.json", R"({"format":"streamgauge-instructions/1","cells":{"s0/direct":5}})");
  const std::string garbage = dir.write("g.json", "{not json");

  REQUIRE(run_cli({"compare", base, same}, add_compare) == 0);
  REQUIRE(run_cli({"compare", base, slow}, add_compare) == 1);
  // Two results of different scenarios: nothing in common.
  REQUIRE(run_cli({"compare", base, other}, add_compare) == 2);
  REQUIRE(run_cli({"compare", base, other, "--no-require-overlap"}, add_compare) == 0);
  // A Google Benchmark file against a matrix result, even with an id in common.
  REQUIRE(run_cli({"compare", gbench, base}, add_compare) == 2);
  REQUIRE(run_cli({"compare", instr, base}, add_compare) == 2);
  REQUIRE(run_cli({"compare", base, garbage}, add_compare) == 2);
  REQUIRE(run_cli({"compare", base, dir.file("missing.json")}, add_compare) == 2);
}
