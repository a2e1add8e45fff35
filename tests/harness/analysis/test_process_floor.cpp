// The noise floor between processes: the furthest an A/A pair read from 1 over its processes,
// and the errors a user can run into when giving explain a folder of them.
#include <fmt/format.h>
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
        {{"id", fmt::format("s{}/lockless_stp", i)},
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

TEST_CASE("process floor: the calling thread's pairs and the threads' pairs apart", "[explain]") {
  // Each pass of a cell lists its threads: one is the calling thread alone, as direct's loop.
  auto with_threads = [](std::vector<double> ratios, std::vector<size_t> threads_per_pass) {
    nlohmann::json r = aa_result(ratios);
    for (size_t i = 1; i < r["cells"].size(); ++i)
      for (size_t n : threads_per_pass)
        r["cells"][i]["samples"].push_back(
            {{"threads", nlohmann::json(std::vector<nlohmann::json>(n, {{"role", "job"}}))}});
    return r;
  };
  const ProcessFloor floor = process_floor_of({{"a.json", with_threads({1.03}, {1, 1})},
                                               {"b.json", with_threads({0.99}, {1})},
                                               {"c.json", with_threads({0.90}, {2, 2})},
                                               {"d.json", with_threads({0.92}, {1, 2})}});
  REQUIRE(floor.readings.size() == 4);
  CHECK(floor.readings[0].calling_thread);
  CHECK(floor.readings[1].calling_thread);
  CHECK_FALSE(floor.readings[2].calling_thread);
  CHECK_FALSE(floor.readings[3].calling_thread);  // one pass ran a thread of its own
  CHECK(floor.calling_thread_fraction == Approx(0.03));
  CHECK(floor.fraction == Approx(0.10));
  constexpr double kDirect = 1;
  constexpr double kAt5 = 0.05 * kDirect;  // within the threads' floor, beyond the calling one's
  CHECK(floor.contains(kAt5, kDirect));
  CHECK(floor.contains(kAt5, kDirect, /*calling_thread=*/false));
  CHECK_FALSE(floor.contains(kAt5, kDirect, /*calling_thread=*/true));
  CHECK(floor.contains(0.02 * kDirect, kDirect, /*calling_thread=*/true));
  // A kind with no readings gives no floor at all, whatever the other kind read.
  const ProcessFloor threads_only =
      process_floor_of({{"a.json", aa_result({0.9})}, {"b.json", aa_result({1.0})}});
  CHECK(threads_only.measured(false));
  CHECK_FALSE(threads_only.measured(true));
  CHECK_FALSE(threads_only.contains(0, kDirect, /*calling_thread=*/true));
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
