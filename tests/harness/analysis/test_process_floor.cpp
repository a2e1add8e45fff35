// The noise floor between processes: the furthest an A/A pair read from 1 over its processes,
// and the errors a user can run into when giving explain a folder of them.
#include <catch2/catch.hpp>

#include "harness/analysis/benchmark_json.h"
#include "harness/analysis/process_floor.h"
#include "temp_dir.h"

namespace sg {
namespace {

// One process's matrix result: direct and one A/A cell per ratio, paired with direct.
nlohmann::json aa_result(const std::vector<double>& ratios) {
  nlohmann::json cells = nlohmann::json::array();
  cells.push_back(
      {{"id", "s0/direct"}, {"strategy", "direct"}, {"summary", nlohmann::json::object()}});
  for (size_t i = 0; i < ratios.size(); ++i)
    cells.push_back(
        {{"id", "s" + std::to_string(i) + "/lockless_stp"},
         {"strategy", "lockless_stp"},
         {"summary",
          {{"paired",
            {{"ratio", ratios[i]}, {"low", ratios[i] - 0.01}, {"high", ratios[i] + 0.01}}}}}});
  return {{"format", "streamgauge-matrix-result/1"}, {"cells", cells}};
}

}  // namespace

TEST_CASE("process floor: the furthest reading from 1 over every process", "[explain]") {
  const ProcessFloor floor =
      process_floor_of({{"a.json", aa_result({0.99, 1.02})}, {"b.json", aa_result({0.95, 1.01})}});
  CHECK(floor.processes == 2);
  REQUIRE(floor.readings.size() == 4);
  CHECK(floor.readings[2].source == "b.json: s0/lockless_stp");
  CHECK(floor.readings[2].low == Approx(0.94));
  CHECK(floor.fraction == Approx(0.05));  // 0.95: below 1 counts as much as above
  // Within that share of direct's time either way, and no further (any unit of time).
  constexpr double kDirect = 1;
  constexpr double kStep = 0.001;
  CHECK(floor.contains((floor.fraction - kStep) * kDirect, kDirect));
  CHECK(floor.contains(-floor.fraction * kDirect, kDirect));
  CHECK_FALSE(floor.contains((floor.fraction + kStep) * kDirect, kDirect));
  CHECK_FALSE(floor.contains(-(floor.fraction + kStep) * kDirect, kDirect));
  CHECK_FALSE(ProcessFloor{}.contains(0, kDirect));  // nothing measured: no floor at all
}

TEST_CASE("process floor: a process on a slowed host is left out", "[explain]") {
  // Direct's paired walls over 1000 records: usual in two processes, far slower in the third.
  auto with_direct = [](double ratio, double direct_ns_per_record) {
    nlohmann::json r = aa_result({ratio});
    r["cells"][1]["records"] = 1000;
    r["cells"][1]["summary"]["paired"]["baseline_wall_ns"] = {direct_ns_per_record * 1000};
    return r;
  };
  constexpr double kUsual = 1;  // direct's usual time a record, in any unit
  const ProcessFloor floor =
      process_floor_of({{"a.json", with_direct(0.98, kUsual)},
                        {"b.json", with_direct(1.01, kUsual * 1.02)},
                        {"c.json", with_direct(0.80, kUsual * (ProcessFloor::kHostSlowed + 0.1))}});
  CHECK(floor.processes == 3);
  REQUIRE(floor.readings.size() == 2);
  REQUIRE(floor.left_out.size() == 1);
  CHECK(floor.left_out[0].source == "c.json: s0/lockless_stp");
  CHECK(floor.fraction == Approx(0.02));  // from a and b only
  // Just inside the threshold, the same reading counts.
  const ProcessFloor inside = process_floor_of(
      {{"a.json", with_direct(0.98, kUsual)},
       {"b.json", with_direct(1.01, kUsual)},
       {"c.json", with_direct(0.80, kUsual * (ProcessFloor::kHostSlowed - 0.01))}});
  CHECK(inside.left_out.empty());
  CHECK(inside.fraction == Approx(0.2));
}

TEST_CASE("process floor: clear errors", "[explain]") {
  CHECK_THROWS_WITH(process_floor_of({{"a.json", aa_result({0.99})}}),
                    Catch::Contains("at least two processes (got 1)"));
  CHECK_THROWS_WITH(process_floor_of({{"a.json", aa_result({0.99})}, {"b.json", aa_result({})}}),
                    Catch::StartsWith("b.json: no cell paired with direct"));
  CHECK_THROWS_WITH(
      process_floor_of({{"a.json", aa_result({0.99})}, {"b.json", {{"format", "other"}}}}),
      Catch::StartsWith("b.json: not a matrix result"));
  nlohmann::json odd = aa_result({0.99});
  odd["cells"][1]["summary"]["paired"]["low"] = "low";
  CHECK_THROWS_WITH(process_floor_of({{"a.json", aa_result({0.99})}, {"b.json", odd}}),
                    Catch::StartsWith("b.json: a paired cell of an unexpected shape"));
}

TEST_CASE("process floor: read from a folder of results, one per process", "[explain]") {
  test::TempDir dir;
  dir.write("process-1.json", aa_result({1.03}).dump());
  dir.write("process-2.json", aa_result({0.98}).dump());
  dir.write("process-1.txt", "the matrix's own printout: not a result");
  const ProcessFloor floor = load_process_floor(dir.file(""));
  CHECK(floor.processes == 2);
  CHECK(floor.fraction == Approx(0.03));
  CHECK(floor.readings[0].source == "process-1.json: s0/lockless_stp");

  CHECK_THROWS_WITH(load_process_floor(dir.file("missing")), Catch::Contains("no such folder"));
  dir.write("process-3.json", "{\"format\": ");
  CHECK_THROWS_AS(load_process_floor(dir.file("")), ExplainError);
  CHECK_THROWS_WITH(load_process_floor(dir.file("")),
                    Catch::Contains("process-3.json: not valid JSON"));
}

}  // namespace sg
