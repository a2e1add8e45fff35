// The matrix's figures: uninstrumented headlines, instrumented phase breakdowns that add up,
// paired ratios with their intervals, anomalies, and timed passes that are still checked.
#include <catch2/catch.hpp>

#include <atomic>
#include <numeric>
#include <sstream>

#include <nlohmann/json.hpp>

#include "harness/matrix/matrix.h"
#include "harness/matrix/matrix_runner.h"
#include "harness/matrix/result_output.h"
#include "id_key_scenario.h"

using namespace sg;

namespace {

Scenario keyed_scenario() {
  return sg::test::id_key_scenario(
      "keyed", "SELECT k, COUNT(*) AS n, SUM(id) AS total FROM t GROUP BY k", 2000, 11, 7);
}

MatrixResult run(const std::vector<Scenario>& all, const std::string& body,
                 MatrixRunOptions options = {}) {
  MatrixSpec spec = parse_matrix("name='m'\nscenarios=['*']\n" + body, "m.toml", all, false);
  return run_matrix(spec, all, capture_environment(0, nullptr), options);
}

uint64_t phase_sum(const ThreadReport& t) {
  return std::accumulate(t.phase_ns.begin(), t.phase_ns.end(), uint64_t{0});
}

// Loses the last row of every batch: a wrong result, not a crash.
class Lossy final : public Engine {
 public:
  explicit Lossy(std::unique_ptr<Engine> inner) : inner_(std::move(inner)) {}
  void process(const RecordPtr& in, Batch& out) override { inner_->process(in, out); }
  void process_batch(std::span<const RecordPtr> in, Batch& out) override {
    inner_->process_batch(in, out);
    if (!out.empty()) out.pop_back();
  }
  void finish(Batch& out) override { inner_->finish(out); }
  EngineStats stats() const override { return inner_->stats(); }

 private:
  std::unique_ptr<Engine> inner_;
};

}  // namespace

TEST_CASE(
    "figures: headline passes read no phase clock, and instrumented passes add up to the wall") {
  const std::vector<Scenario> all = {keyed_scenario()};
  const MatrixResult r = run(all,
                             "strategies=['direct','per_record_lock','adaptive','lockless_stp']\n"
                             "partitions=[1,2]\nbatch_sizes=[50]\nrepetitions=2\n"
                             "instrumented_repetitions=2\ncell_budget_s=0\n");
  REQUIRE(r.failed() == 0);
  // The calibration ran and is saved with the result (its values are measurements: not asserted).
  const nlohmann::json calibration = r.calibration.to_json();
  for (const char* key : {"ns_per_phase_charge", "ns_per_cpu_clock_read", "timed_sink_ns_per_row",
                          "checked_sink_ns_per_row"})
    REQUIRE(calibration.contains(key));
  size_t checked = 0;
  for (const CellResult& c : r.cells) {
    if (c.status != CellStatus::Ok) continue;
    for (const RunResult& s : c.samples) {
      for (const ThreadReport& t : s.threads) {
        REQUIRE(phase_sum(t) == 0);
        REQUIRE(t.unattributed_ns == t.lifetime_ns);
      }
    }
    REQUIRE(c.instrumented.size() == 2);
    for (const RunResult& s : c.instrumented) {
      REQUIRE(s.job_thread().lifetime_ns == s.wall_ns);
      uint64_t instrumentation = 0;
      for (const ThreadReport& t : s.threads) {
        INFO(c.cell.id() << " " << t.role);
        REQUIRE(phase_sum(t) + t.instrumentation_ns + t.unattributed_ns == t.lifetime_ns);
        instrumentation += t.instrumentation_ns;
      }
      REQUIRE(instrumentation > 0);
      ++checked;
    }
  }
  REQUIRE(checked == 2 * 6);  // direct, per_record_lock, adaptive p1 p2, lockless_stp p1 p2
}

TEST_CASE("figures: a paired cell's ratio, interval and half-width are printed and saved") {
  const std::vector<Scenario> all = {keyed_scenario()};
  const MatrixResult r = run(all,
                             "strategies=['direct','batch_lock']\nrepetitions=6\n"
                             "cell_budget_s=0\ninstrumented_repetitions=1\n");
  REQUIRE(r.failed() == 0);
  const CellResult& lock = r.cells[1];
  REQUIRE(lock.cell.runner_name == "batch_lock");
  REQUIRE(lock.paired);
  REQUIRE(lock.paired->ratio.n == 6);
  REQUIRE(lock.paired->cell_ns.size() == 6);
  const nlohmann::json j = to_json(r);
  const nlohmann::json& paired = j["cells"][1]["summary"]["paired"];
  REQUIRE(paired["pairs"] == 6);
  REQUIRE(paired.contains("half_width"));
  REQUIRE(paired["low"].get<double>() <= paired["ratio"].get<double>());
  REQUIRE(j["method"]["calibration"].contains("timed_sink_ns_per_row"));
  std::ostringstream table;
  print_matrix_table(r, table);
  REQUIRE_THAT(table.str(), Catch::Contains("+-") && Catch::Contains("method:") &&
                                Catch::Contains("ns per output row") &&
                                Catch::Contains("instrumentation"));
  CHECK_THAT(table.str(), !Catch::Contains("cross-core regime"));  // not probed

  // Probed: the method says where the probes sat and how many pairs ran elsewhere.
  MatrixResult probed = r;
  probed.cells[1].paired->line_rt_ns = {64, 66, 250, 62, 64, 31};
  std::ostringstream with_probes;
  print_matrix_table(probed, with_probes);
  CHECK_THAT(with_probes.str(),
             Catch::Contains("cross-core regime: a cache line's round trip between CPU slots 0 "
                             "and 1, probed before each pair: median 64 ns over 6 pairs, 2 (33%) "
                             "outside 43-96 ns"));
  CHECK(to_json(probed)["cells"][1]["summary"]["paired"]["line_round_trip_ns"].size() == 6);
}

TEST_CASE("figures: a plus-work strategy faster than direct beyond its interval is an anomaly") {
  Scenario s = keyed_scenario();
  auto cell = [&](const char* strategy, int partitions, double ratio,
                  StreamingMode mode = StreamingMode::Spawnless,
                  SourceKind source = SourceKind::Lent) {
    CellResult c;
    c.cell.scenario = &s;
    c.cell.runner_name = strategy;
    c.cell.records = 100;
    c.cell.config.partitions = partitions;
    c.cell.config.streaming = mode;
    c.cell.config.source = source;
    PairedFigures f;
    f.ratio = paired_ratio(std::vector<double>(8, ratio));
    c.paired = f;
    RunResult sample;
    sample.wall_ns = 1000;
    c.samples.push_back(sample);
    return c;
  };
  REQUIRE(cell("batch_lock", 1, 0.8).anomaly());
  REQUIRE(cell("per_record_lock", 1, 0.9).anomaly());
  REQUIRE(cell("streaming", 1, 0.9).anomaly());
  REQUIRE(cell("adaptive", 1, 0.9).anomaly());
  REQUIRE(cell("lockless_stp", 1, 0.9).anomaly());
  REQUIRE_FALSE(cell("lockless_stp", 2, 0.6).anomaly());  // two partitions may beat direct
  // Work beside the engine on another thread may beat direct too: eager and lazy streams write
  // while their producer runs the engine; adaptive's reader decodes a materialized source.
  REQUIRE_FALSE(cell("streaming", 1, 0.7, StreamingMode::Eager).anomaly());
  REQUIRE_FALSE(cell("streaming", 1, 0.7, StreamingMode::Lazy).anomaly());
  REQUIRE_FALSE(cell("adaptive", 1, 0.7, StreamingMode::Spawnless, SourceKind::Materialized)
                    .anomaly());
  REQUIRE(cell("batch_lock", 1, 0.7, StreamingMode::Spawnless, SourceKind::Materialized).anomaly());
  REQUIRE_FALSE(cell("batch_lock", 1, 1.2).anomaly());
  REQUIRE_FALSE(cell("direct", 1, 0.9).anomaly());

  MatrixResult r;
  r.cells.push_back(cell("batch_lock", 1, 0.8));
  std::ostringstream table;
  print_matrix_table(r, table);
  REQUIRE_THAT(table.str(),
               Catch::Contains("ANOMALY") && Catch::Contains("anomalies (not results)"));
  REQUIRE_THAT(table.str(), !Catch::Contains("0.80x"));
  const nlohmann::json summary = to_json(r)["cells"][0]["summary"];
  REQUIRE(summary.contains("anomaly"));
  REQUIRE_FALSE(summary.contains("slowdown_vs_direct"));
}

TEST_CASE("figures: a timed pass whose output is wrong fails its cell") {
  const std::vector<Scenario> all = {keyed_scenario()};
  // Right on the checked pass (the first engine made), wrong on every timed pass after it.
  auto made = std::make_shared<std::atomic<int>>(0);
  MatrixRunOptions options;
  options.wrap_engine = [made](std::unique_ptr<Engine> e, int) -> std::unique_ptr<Engine> {
    if ((*made)++ == 0) return e;
    return std::make_unique<Lossy>(std::move(e));
  };
  const MatrixResult r = run(all,
                             "strategies=['direct','batch_lock']\nbatch_sizes=[100]\n"
                             "repetitions=2\nwarmup=1\ncell_budget_s=0\n",
                             options);
  REQUIRE(r.failed() == 1);
  const CellResult& lock = r.cells[1];
  REQUIRE(lock.status == CellStatus::Failed);
  REQUIRE_THAT(lock.reason, Catch::Contains("timed pass 1") &&
                                Catch::Contains("differs from direct") &&
                                Catch::Contains("fingerprint"));
}
