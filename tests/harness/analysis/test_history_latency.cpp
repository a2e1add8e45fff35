// History of latency results: every offered rate of every cell is kept with its p50/p99/p99.9,
// each pass's p99 and the cell's peak throughput, under the id `compare` uses; a step in p99
// between two runs is flagged as compare would judge it.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "harness/analysis/compare.h"
#include "harness/analysis/history.h"
#include "temp_dir.h"

using namespace sg;

namespace {

// A streamgauge-latency/1 result of one cell with a "50%" rate whose passes had these p99s, and a
// "120%" rate that failed its check.
nlohmann::json latency_result(const std::vector<double>& p99s, const std::string& commit) {
  nlohmann::json passes = nlohmann::json::array();
  for (double p : p99s) passes.push_back({{"latency_ns", {{"p99", p}}}});
  nlohmann::json ok_rate = {{"rate", "50%"},
                            {"offered_rate", 2.0e6},
                            {"achieved_rate", 1.999e6},
                            {"records", 2000000},
                            {"ok", true},
                            {"max_backlog", 812},
                            {"latency_ns", {{"p50", 21000}, {"p99", 1.4e6}, {"p99_9", 3.1e6}}},
                            {"passes", passes}};
  nlohmann::json failed_rate = {{"rate", "120%"},
                                {"offered_rate", 4.8e6},
                                {"achieved_rate", 0.0},
                                {"ok", false},
                                {"error", "the output differs from direct's on the same data"},
                                {"max_backlog", 0},
                                {"latency_ns", {{"count", 0}}},
                                {"passes", nlohmann::json::array()}};
  nlohmann::json cell = {{"scenario", "s2_group_by"},
                         {"strategy", "adaptive"},
                         {"linger_ns", 100000},
                         {"config", {{"engine", "sql"}, {"batch_size", 100}, {"partitions", 2}}},
                         {"peak", {{"median_records_per_s", 4.0e6}}},
                         {"rates", nlohmann::json::array({ok_rate, failed_rate})}};
  return {{"format", "streamgauge-latency/1"},
          {"name", "latency"},
          {"environment", {{"commit", commit}, {"date_utc", "2026-12-03T04:00:00Z"}}},
          {"cells", nlohmann::json::array({cell})}};
}

const std::vector<double> kBase = {1.00e6, 1.02e6, 0.98e6, 1.01e6, 0.99e6, 1.00e6};
const std::vector<double> kSlower = {1.50e6, 1.52e6, 1.49e6, 1.51e6, 1.48e6, 1.50e6};

HistoryQuery adaptive_on_s2() {
  HistoryQuery q;
  q.scenario = "s2_group_by";
  q.strategy = "adaptive";
  return q;
}

}  // namespace

TEST_CASE("history: a latency result keeps p50, p99, p99.9 and the peak per offered rate") {
  sg::test::TempDir dir;
  History history(dir.file("h.sqlite"));
  const nlohmann::json result = latency_result(kBase, "c1");
  REQUIRE(history.append_latency(result) == 1);

  const std::vector<LatencyHistoryEntry> e = history.latency_cells(adaptive_on_s2());
  REQUIRE(e.size() == 2);
  const LatencyHistoryEntry& ok = e[0];
  // The id compare gives the same rate, so history and compare speak of one cell.
  REQUIRE(load_sample_set(result, "r.json").cells.count(ok.cell_id) == 1);
  REQUIRE(ok.cell_id == "s2_group_by/adaptive/sql/b100/p2/linger100us/rate 50%");
  REQUIRE(ok.commit == "c1");
  REQUIRE(ok.matrix == "latency");
  REQUIRE(ok.status == "ok");
  REQUIRE(ok.rate == "50%");
  REQUIRE(ok.offered_rate == 2.0e6);
  REQUIRE(ok.achieved_rate == 1.999e6);
  REQUIRE(ok.peak_records_per_s == 4.0e6);
  REQUIRE(ok.p50_ns == 21000);
  REQUIRE(ok.p99_ns == 1.4e6);
  REQUIRE(ok.p99_9_ns == 3.1e6);
  REQUIRE(ok.max_backlog == 812);
  REQUIRE(ok.p99_passes_ns == kBase);
  // A failed rate is kept as failed, with no samples to judge.
  REQUIRE(e[1].rate == "120%");
  REQUIRE(e[1].status == "failed");
  REQUIRE(e[1].p99_passes_ns.empty());

  // Throughput listings are not mixed with latency rows, and other cells see none of them.
  REQUIRE(history.cells(adaptive_on_s2()).empty());
  HistoryQuery other = adaptive_on_s2();
  other.strategy = "batch_lock";
  REQUIRE(history.latency_cells(other).empty());
  other = adaptive_on_s2();
  other.batch_size = 1000;
  REQUIRE(history.latency_cells(other).empty());
}

TEST_CASE("history: a p99 step between two latency runs is flagged as compare judges it") {
  sg::test::TempDir dir;
  History history(dir.file("h.sqlite"));
  history.append_latency(latency_result(kBase, "c1"));
  history.append_latency(latency_result(kBase, "c2"));
  history.append_latency(latency_result(kSlower, "c3"));
  const std::vector<LatencyHistoryEntry> e = history.latency_cells(adaptive_on_s2());
  REQUIRE(e.size() == 6);
  REQUIRE(e[4].commit == "c3");
  REQUIRE(e[4].rate == "50%");
  const std::vector<StepChange> steps = step_changes(e);
  REQUIRE(steps.size() == 1);
  REQUIRE(steps[0].index == 4);
  REQUIRE(steps[0].comparison.verdict == Verdict::Slower);  // a higher p99
  REQUIRE(steps[0].comparison.ratio == Approx(1.5).epsilon(0.02));
}

TEST_CASE("history: appending a result that is not a latency result is refused") {
  sg::test::TempDir dir;
  History history(dir.file("h.sqlite"));
  nlohmann::json matrix = {{"format", "streamgauge-matrix-result/1"}, {"cells", {}}};
  REQUIRE_THROWS_WITH(
      history.append_latency(matrix),
      Catch::Contains("not a latency result") && Catch::Contains("streamgauge-matrix-result/1"));
  REQUIRE(history.run_count() == 0);
}
