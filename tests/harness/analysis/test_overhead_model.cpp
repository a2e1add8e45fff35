// The overhead model's arithmetic on a made-up matrix and made-up microbench results: counts x
// unit costs, the predicted sum, the unexplained remainder (negative included), percentages,
// the critical path of a reader/worker pair, and the errors a user can run into.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>

#include <fmt/format.h>

#include "harness/analysis/overhead_model.h"
#include "temp_dir.h"

namespace sg {
namespace {

constexpr double kBaseWallNs = 1'000'000;  // direct: 1000 ns per record over 1000 records
constexpr uint64_t kRecords = 1000;

// One Google Benchmark iteration entry costing `ns` per item.
nlohmann::json bench(const std::string& name, double ns) {
  return {{"name", name},
          {"run_name", name},
          {"run_type", "iteration"},
          {"items_per_second", 1e9 / ns}};
}

nlohmann::json microbench() {
  return {{"benchmarks",
           {bench("lock/mutex_lock_unlock/uncontended", 20),
            bench("batch/clock_read", 25),
            bench("copy/record/share", 10),
            bench("batch/job_loop/batch:1", 50),
            bench("batch/direct_loop/batch:1", 30),
            bench("batch/engine_calls/per_record", 3),
            bench("batch/engine_calls/batched", 1),
            bench("batch/engine_calls/per_record_locked/mutex", 23),
            bench("queue/moodycamel/bulk/batch:256", 8),
            bench("thread/start_join/real_time", 20000),
            bench("work/injected/rounds:0", 1),
            bench("work/injected/rounds:400", 401),
            bench("crossing/ping_pong/batch:256/real_time", 7),
            bench("crossing/same_thread/batch:256/real_time", 1),
            bench("machine/parallel_engine/threads:1/real_time", 10),
            bench("machine/parallel_engine/threads:2/real_time", 8),
            bench("thread/ping_pong/atomic_wait/real_time", 4000),
            bench("thread/wake_sleeping/event_count/gap_us:10/manual_time", 500),
            bench("thread/wake_sleeping/event_count/gap_us:100/manual_time", 1000),
            bench("thread/wake_sleeping/condvar/gap_us:10/manual_time", 600),
            bench("thread/wake_sleeping/condvar/gap_us:100/manual_time", 1200)}}};
}

nlohmann::json sample(double wall_ns, double batches, double locks, nlohmann::json queue = {}) {
  nlohmann::json s = {{"wall_ns", wall_ns},        {"records_read", kRecords},
                      {"batches", batches},        {"locks_taken", locks},
                      {"rows_produced", kRecords}, {"voluntary_switches", 0}};
  if (!queue.is_null()) s["queue"] = queue;
  return s;
}

nlohmann::json cell(const std::string& strategy, nlohmann::json samples, bool with_baseline) {
  const std::string id = "s0/" + strategy + "/passthrough/b100/p1/n1000";
  nlohmann::json c = {{"id", id},
                      {"scenario", "s0"},
                      {"strategy", strategy},
                      {"peer", false},
                      {"records", kRecords},
                      {"config",
                       {{"engine", "passthrough"},
                        {"batch_size", 100},
                        {"partitions", 1},
                        {"queue", "moodycamel"},
                        {"lock", "mutex"},
                        {"writer_mode", "shared"},
                        {"streaming", "eager"}}},
                      {"status", "ok"},
                      {"samples", samples}};
  if (with_baseline) c["summary"] = {{"baseline", "s0/direct/passthrough/b100/p1/n1000"}};
  return c;
}

nlohmann::json matrix(bool with_baseline = true) {
  nlohmann::json cells = nlohmann::json::array();
  // Three samples: the model takes medians (1.0 ms here).
  cells.push_back(cell("direct",
                       {sample(kBaseWallNs * 1.1, 10, 0), sample(kBaseWallNs, 10, 0),
                        sample(kBaseWallNs * 0.9, 10, 0)},
                       false));
  cells.push_back(cell("batch_lock", {sample(kBaseWallNs + 20'000, 10, 11)}, with_baseline));
  cells.push_back(cell("per_record_lock", {sample(kBaseWallNs + 50'000, 10, 1001)}, with_baseline));
  nlohmann::json queue = {{"items_pushed", 1000}, {"items_popped", 1000}, {"push_calls", 10},
                          {"pop_calls", 10},      {"producer_waits", 0},  {"consumer_waits", 5}};
  cells.push_back(cell("adaptive", {sample(kBaseWallNs + 60'000, 10, 11, queue)}, with_baseline));
  return {
      {"format", "streamgauge-matrix-result/1"}, {"environment", {{"cores", 2}}}, {"cells", cells}};
}

MicrobenchCosts costs() {
  MicrobenchCosts c;
  c.add_json(microbench(), "test microbench");
  return c;
}

// A microbench result (the test one unless given) and `extra` benchmarks.
MicrobenchCosts costs_with(nlohmann::json mb, const std::vector<nlohmann::json>& extra) {
  for (const nlohmann::json& b : extra) mb["benchmarks"].push_back(b);
  MicrobenchCosts c;
  c.add_json(mb, "test microbench");
  return c;
}
MicrobenchCosts costs_with(const std::vector<nlohmann::json>& extra) {
  return costs_with(microbench(), extra);
}

const ExplainRow& row_of(const Explanation& e, const std::string& strategy) {
  for (const ExplainRow& r : e.rows)
    if (r.strategy == strategy) return r;
  FAIL("no row for " << strategy);
  throw;
}

double component(const ExplainRow& r, const std::string& name) {
  double sum = 0;
  for (const ComponentEstimate& c : r.components)
    if (c.name == name) sum += c.predicted_ns_per_record;
  return sum;
}

}  // namespace

TEST_CASE("explain: batch_lock components are counts x unit costs, and they add up", "[explain]") {
  const Explanation e = explain_matrix(matrix(), costs(), "m.json", "mb/");
  REQUIRE(e.rows.size() == 3);  // direct is the baseline, not a row
  const ExplainRow& r = row_of(e, "batch_lock");
  CHECK(r.measured_ns_per_record == Approx(20.0));  // (1.02 ms - median 1.0 ms) / 1000
  CHECK(component(r, "locks") == Approx(11.0 / 1000 * 20));
  CHECK(component(r, "clock_reads") == Approx(3 * 10.0 / 1000 * 25));  // 3 extra per batch
  // Lent records: read in place like direct's, so no copies; the batch loop at the cell's size.
  CHECK(component(r, "record_copies") == 0);
  CHECK(component(r, "batches") == Approx(10.0 / 1000 * (50 - 30)));  // a difference
  CHECK(r.predicted_ns_per_record == Approx(0.22 + 0.75 + 0.2));
  CHECK(r.unexplained_ns_per_record == Approx(20 - 1.17));
  REQUIRE(r.explained_pct);
  CHECK(*r.explained_pct == Approx(100 * 1.17 / 20));
  for (const ComponentEstimate& c : r.components)
    CHECK(c.predicted_ns_per_record == Approx(c.count_per_record * c.unit_cost_ns));
}

TEST_CASE("explain: an over-prediction stays negative, never clamped", "[explain]") {
  const Explanation e = explain_matrix(matrix(), costs(), "m.json", "mb/");
  const ExplainRow& r = row_of(e, "per_record_lock");
  CHECK(r.measured_ns_per_record == Approx(50.0));
  CHECK(component(r, "locks") == Approx(20.02));
  CHECK(component(r, "clock_reads") == Approx((10 + 2000) / 1000.0 * 25));  // 1/batch + 2/record
  CHECK(component(r, "engine_calls") == Approx(990 / 1000.0 * 2));
  CHECK(r.predicted_ns_per_record == Approx(20.02 + 50.25 + 0.2 + 1.98));
  CHECK(r.unexplained_ns_per_record == Approx(50 - 72.45));
  CHECK(r.unexplained_ns_per_record < 0);
  CHECK(*r.explained_pct == Approx(100 * 72.45 / 50));

  const nlohmann::json j = e.to_json();
  CHECK(j["format"] == "streamgauge-explain/3");
  CHECK(j["matrix"] == "m.json");
  CHECK(j["microbench"] == "mb/");
  CHECK_FALSE(j["method"].get<std::string>().empty());
  bool found = false;
  for (const nlohmann::json& row : j["rows"]) {
    if (row["strategy"] != "per_record_lock") continue;
    found = true;
    CHECK(row["unexplained_ns_per_record"].get<double>() == Approx(-22.45));
    CHECK(row["batch_size"] == 100);
    CHECK(row["components"][0]["benchmark"] ==
          "batch/engine_calls/per_record_locked/mutex - batch/engine_calls/per_record");
  }
  CHECK(found);
}

TEST_CASE("explain: adaptive keeps the longer of reader and worker paths", "[explain]") {
  const Explanation e = explain_matrix(matrix(), costs(), "m.json", "mb/");
  const ExplainRow& r = row_of(e, "adaptive");
  // Workers carry the baseline's 1000 ns/record, far longer than the reader's ~15 ns/record:
  // the worker's components count, the reader's (copies, push) do not.
  CHECK(component(r, "record_copies") == 0);
  CHECK(component(r, "queue_push") == 0);
  CHECK(component(r, "queue_pop") == Approx(4.0));       // half of 8 ns per item, bulk 100 -> 256
  CHECK(component(r, "queue_crossing") == Approx(3.0));  // half of (7 - 1) ns per item
  CHECK(component(r, "locks") == Approx(0.22));
  CHECK(component(r, "clock_reads") == Approx(2 * 10.0 / 1000 * 25));
  CHECK(component(r, "threads") == Approx(2 * 20000.0 / 1000));  // reader + one worker
  CHECK(component(r, "handoffs") == Approx(5 * 2000.0 / 1000));  // half a round trip each
  // The workers blocked 5 times on an empty queue: the reader's pushes woke them, on the
  // reader's path (1000 ns each at 106 us a batch -> the 100 us gap), which is not critical.
  CHECK(component(r, "wakeups") == 0);
  // The reader's 9.7 ns/record (batches 0.2, clock reads 0.5, push 4, wake-ups 5) run beside the
  // workers' path on a machine whose two CPUs give 1.25 CPUs: x (2 / 1.25 - 1).
  CHECK(component(r, "parallel_work") == Approx((0.2 + 0.5 + 4 + 5) * 0.6));
  CHECK(r.predicted_ns_per_record == Approx(4 + 3 + 0.22 + 0.5 + 40 + 10 + 5.82));
  CHECK(r.unexplained_ns_per_record == Approx(60 - 63.54));
  CHECK(r.critical_path.find("workers") == 0);
}

TEST_CASE("explain: unit costs are medians; an aggregate median wins", "[explain]") {
  MicrobenchCosts c;
  c.add_json({{"benchmarks",
               {bench("x", 10),
                bench("x", 30),
                bench("x", 20),
                {{"name", "y_median"},
                 {"run_name", "y"},
                 {"run_type", "aggregate"},
                 {"aggregate_name", "median"},
                 {"items_per_second", 1e9 / 7}},
                {{"name", "y_mean"},
                 {"run_name", "y"},
                 {"run_type", "aggregate"},
                 {"aggregate_name", "mean"},
                 {"items_per_second", 1e9 / 99}},
                bench("y", 50)}}},
             "t");
  CHECK(c.ns_per_item("x") == Approx(20));
  CHECK(c.ns_per_item("y") == Approx(7));
}

TEST_CASE("explain: unit costs are wall time, like the matrix", "[explain]") {
  MicrobenchCosts c;
  // CPU-timed: 30 ns of CPU per item, 60 ns of wall time (the thread had half a core).
  c.add_json({{"benchmarks",
               {{{"name", "cpu_timed"},
                 {"items_per_second", 1e9 / 30},
                 {"real_time", 60},
                 {"cpu_time", 30}},
                {{"name", "wall_timed/real_time"},
                 {"items_per_second", 1e9 / 60},
                 {"real_time", 60},
                 {"cpu_time", 30}},
                // Manual time: the benchmark timed a part of each iteration itself (20 ns of
                // wall time an item, in iterations that took 90 ns of CPU).
                {{"name", "self_timed/manual_time"},
                 {"items_per_second", 1e9 / 20},
                 {"real_time", 20},
                 {"cpu_time", 90}}}}},
             "t");
  CHECK(c.ns_per_item("cpu_timed") == Approx(60));
  CHECK(c.ns_per_item("wall_timed/real_time") == Approx(60));
  CHECK(c.ns_per_item("self_timed/manual_time") == Approx(20));
}

TEST_CASE("explain: with phase timing off there are no clock reads to predict", "[explain]") {
  nlohmann::json m = matrix();
  for (nlohmann::json& c : m["cells"]) c["config"]["phase_timing"] = false;
  const Explanation e = explain_matrix(m, costs(), "m.json", "mb/");
  const ExplainRow& r = row_of(e, "batch_lock");
  CHECK_FALSE(r.phase_timing);
  CHECK(component(r, "clock_reads") == 0);
  CHECK(r.predicted_ns_per_record == Approx(0.22 + 0.2));
}

// Pairs the cell with its baseline as the matrix does: ratio and 95% interval over 1.0 ms walls.
void pair(nlohmann::json& m, const std::string& strategy, double ratio, double low, double high) {
  for (nlohmann::json& c : m["cells"])
    if (c["strategy"] == strategy)
      c["summary"]["paired"] = {
          {"ratio", ratio},
          {"low", low},
          {"high", high},
          {"baseline_wall_ns", {kBaseWallNs * 0.9, kBaseWallNs, kBaseWallNs * 3}}};
}

TEST_CASE("explain: the noise-floor rule is an interval containing 0", "[explain]") {
  CHECK(within_noise_floor(-1, 1));
  CHECK(within_noise_floor(0, 5));
  CHECK(within_noise_floor(-5, 0));
  CHECK_FALSE(within_noise_floor(0.5, 5));
  CHECK_FALSE(within_noise_floor(-5, -0.5));
}

TEST_CASE("explain: paired cells are measured by their ratio, with its interval", "[explain]") {
  nlohmann::json m = matrix();
  pair(m, "batch_lock", 1.02, 1.01, 1.04);  // the cell's own walls say 20 ns too; pairs win
  pair(m, "per_record_lock", 1.03, 0.99, 1.06);
  const Explanation e = explain_matrix(m, costs(), "m.json", "mb/");
  const ExplainRow& b = row_of(e, "batch_lock");
  CHECK(b.paired);
  CHECK(b.measured_ns_per_record == Approx(20.0));  // (1.02 - 1) x median 1000 ns
  CHECK(b.baseline_ns_per_record == Approx(1000.0));
  CHECK(b.measured_low_ns == Approx(10.0));
  CHECK(b.measured_high_ns == Approx(40.0));
  CHECK_FALSE(b.within_noise);
  const ExplainRow& p = row_of(e, "per_record_lock");
  CHECK(p.measured_ns_per_record == Approx(30.0));
  CHECK(p.measured_low_ns == Approx(-10.0));
  CHECK(p.within_noise);
  const ExplainRow& a = row_of(e, "adaptive");
  CHECK_FALSE(a.paired);  // no pairs: medians, and counted as above noise
  CHECK_FALSE(a.within_noise);
}

// A probed benchmark repetition: its cost and the line round trip it ran at.
// The fixture's batch_lock cell as lockless_stp with 2 partitions (no lock taken).
nlohmann::json lockless_p2_of(const nlohmann::json& m) {
  nlohmann::json p2 = m["cells"][1];
  p2["id"] = "s0/lockless_stp/passthrough/b100/p2/n1000";
  p2["strategy"] = "lockless_stp";
  p2["config"]["partitions"] = 2;
  p2["samples"][0]["locks_taken"] = 0;
  return p2;
}

nlohmann::json probed_bench(const std::string& name, double ns, double line_rt_ns) {
  nlohmann::json b = bench(name, ns);
  b["line_rt_ns"] = line_rt_ns;
  return b;
}

// The test microbench with `name`'s entries replaced by `repetitions`.
nlohmann::json microbench_with(const std::string& name,
                               const std::vector<nlohmann::json>& repetitions) {
  nlohmann::json mb = microbench();
  nlohmann::json& list = mb["benchmarks"];
  for (size_t i = list.size(); i-- > 0;)
    if (list[i]["name"] == name) list.erase(i);
  for (const nlohmann::json& r : repetitions) list.push_back(r);
  return mb;
}

TEST_CASE(
    "explain: pairs and microbench repetitions outside the matrix's cross-core regime are "
    "left out",
    "[explain]") {
  nlohmann::json m = matrix();
  // Made-up pairs. batch_lock: 7, of which 5 probed in the near band at ratio 1.02 and 2 in the
  // far band at 1.50. per_record_lock: 2, both in the far band, so none in the regime and it is
  // measured over both.
  for (nlohmann::json& c : m["cells"]) {
    if (c["strategy"] == "batch_lock") {
      std::vector<double> cell, base, probes;
      for (int i = 0; i < 7; ++i) {
        const bool far = i == 1 || i == 4;
        base.push_back(kBaseWallNs);
        cell.push_back(kBaseWallNs * (far ? 1.5 : 1.02));
        probes.push_back(far ? 240 : 58 + i);
      }
      c["summary"]["paired"] = {{"ratio", 1.02},        {"low", 1.02},
                                {"high", 1.5},          {"baseline_wall_ns", base},
                                {"cell_wall_ns", cell}, {"line_round_trip_ns", probes}};
    } else if (c["strategy"] == "per_record_lock") {
      c["summary"]["paired"] = {{"ratio", 1.26},
                                {"low", 1.02},
                                {"high", 1.5},
                                {"baseline_wall_ns", {kBaseWallNs, kBaseWallNs}},
                                {"cell_wall_ns", {kBaseWallNs * 1.02, kBaseWallNs * 1.5}},
                                {"line_round_trip_ns", {240, 250}}};
    }
  }
  const CrossCoreRegime regime = cross_core_regime(m, costs());  // no probed microbench
  CHECK(regime.line_rt_ns == Approx(64));  // the median of the 9 probes (58-64, 4 at 240-250)
  CHECK(regime.low_ns == Approx(64 / 1.5));
  CHECK(regime.high_ns == Approx(64 * 1.5));

  // The lock's microbench: two repetitions at 60 ns cost 20 and 22, one at 240 ns costs 80.
  nlohmann::json mb = microbench_with("lock/mutex_lock_unlock/uncontended",
                                      {probed_bench("lock/mutex_lock_unlock/uncontended", 20, 60),
                                       probed_bench("lock/mutex_lock_unlock/uncontended", 80, 240),
                                       probed_bench("lock/mutex_lock_unlock/uncontended", 22, 61)});
  // The start of a thread ran only at 240 ns: priced from all its repetitions, and named.
  nlohmann::json& list = mb["benchmarks"];
  for (size_t i = list.size(); i-- > 0;)
    if (list[i]["name"] == "thread/start_join/real_time") list.erase(i);
  list.push_back(probed_bench("thread/start_join/real_time", 20000, 240));
  MicrobenchCosts c;
  c.add_json(mb, "test microbench");

  const Explanation e = explain_matrix(m, c, "m.json", "mb/");
  // Pooling adds the lock's and the thread start's 4 probes; the same pairs stay out.
  CHECK(e.regime.microbench_probes == 4);
  CHECK(e.regime.pairs == 9);
  CHECK(e.regime.pairs_outside == 4);
  const ExplainRow& b = row_of(e, "batch_lock");
  CHECK(b.pairs == 7);
  CHECK(b.pairs_outside_regime == 2);
  CHECK(b.measured_ns_per_record == Approx(20.0));  // the 5 pairs inside: ratio 1.02
  CHECK(b.measured_high_ns == Approx(20.0));        // their interval, not the 1.5 of the others
  CHECK(component(b, "locks") == Approx(11.0 / 1000 * 21));  // median of 20 and 22, not 80
  const ExplainRow& p = row_of(e, "per_record_lock");
  CHECK(p.pairs_outside_regime == 2);
  CHECK(p.measured_ns_per_record == Approx(260.0));  // no pair inside: the result's own 1.26
  REQUIRE(e.regime.notes.size() == 2);
  CHECK_THAT(e.regime.notes[0], Catch::Contains("thread/start_join/real_time: none of its 1"));
  CHECK_THAT(e.regime.notes[1], Catch::Contains("per_record_lock") &&
                                    Catch::Contains("none of its 2 pairs ran in the regime"));
  const nlohmann::json j = e.to_json();
  CHECK(j["regime"]["line_round_trip_ns"].get<double>() == Approx(64));
  CHECK(j["regime"]["pairs_outside"] == 4);
  // What scripts/run reads again: the thread start, not the lock (two repetitions inside).
  CHECK(j["regime"]["read_again"] == nlohmann::json::array({"thread/start_join/real_time"}));

  // A hand-edited probe list that is not numbers is named, with its cell.
  nlohmann::json bad = m;
  for (nlohmann::json& cell : bad["cells"])
    if (cell["strategy"] == "batch_lock") cell["summary"]["paired"]["line_round_trip_ns"] = "fast";
  CHECK_THROWS_WITH(explain_matrix(bad, c, "m.json", "mb/"),
                    Catch::Contains("cell s0/batch_lock/passthrough/b100/p1/n1000") &&
                        Catch::Contains("line_round_trip_ns must be an array of numbers"));

  // An unprobed matrix has no regime and leaves nothing out.
  const Explanation plain = explain_matrix(matrix(), c, "m.json", "mb/");
  CHECK(plain.regime.line_rt_ns == 0);
  CHECK(plain.to_json()["regime"].is_null());
  CHECK(component(row_of(plain, "batch_lock"), "locks") == Approx(11.0 / 1000 * 22));  // all 3
}

TEST_CASE(
    "explain: an earlier reading of the probed microbenches joins in the regime, and two "
    "readings that differ there are named",
    "[explain]") {
  sg::test::TempDir dir;
  {
    // Earlier: the lock at 40 and 42 ns in the regime (60 ns), and at 300 ns outside it; an
    // unprobed benchmark, which must change nothing.
    std::ofstream out(dir.file("bench_locks.json"));
    out << nlohmann::json{{"benchmarks",
                           {probed_bench("lock/mutex_lock_unlock/uncontended", 40, 60),
                            probed_bench("lock/mutex_lock_unlock/uncontended", 42, 59),
                            probed_bench("lock/mutex_lock_unlock/uncontended", 300, 240),
                            bench("batch/clock_read", 1000)}}};
  }
  const nlohmann::json mb =
      microbench_with("lock/mutex_lock_unlock/uncontended",
                      {probed_bench("lock/mutex_lock_unlock/uncontended", 20, 60),
                       probed_bench("lock/mutex_lock_unlock/uncontended", 22, 61)});
  MicrobenchCosts c;
  c.add_json(mb, "test microbench");
  c.add_earlier_reading(dir.file(""));
  CHECK(c.ns_per_item("lock/mutex_lock_unlock/uncontended") == Approx(21));  // later, no regime
  CHECK(c.ns_per_item("batch/clock_read") == Approx(25));

  std::vector<std::string> notes;
  const MicrobenchCosts in = c.in_regime(40, 90, notes);
  CHECK(in.ns_per_item("lock/mutex_lock_unlock/uncontended") == Approx(31));  // 20 22 | 40 42
  REQUIRE(notes.size() == 1);
  CHECK_THAT(notes[0], Catch::Contains("lock/mutex_lock_unlock/uncontended: its two readings in "
                                       "the regime differ: 41.0 ns per item earlier (2 "
                                       "repetitions), 21.0 ns later (2)"));
  // Readings within 25% of each other are not named.
  notes.clear();
  MicrobenchCosts close;
  close.add_json(mb, "test microbench");
  const MicrobenchCosts in_close = close.in_regime(40, 90, notes);
  CHECK(notes.empty());
  CHECK(in_close.ns_per_item("lock/mutex_lock_unlock/uncontended") == Approx(21));
  CHECK_THROWS_WITH(c.add_earlier_reading(dir.file("missing")),
                    Catch::Contains("no such microbench folder"));
}

TEST_CASE("explain: the regime pools the matrix's probes with the microbenches'", "[explain]") {
  // Made-up probes: 4 of batch_lock's 7 pairs in a far band, 3 in a near one, where all 6 of the
  // lock microbench's repetitions were probed, before and after. By the matrix alone the regime
  // would be the far band, one no unit cost was measured in.
  nlohmann::json m = matrix();
  for (nlohmann::json& c : m["cells"]) {
    if (c["strategy"] != "batch_lock") continue;
    std::vector<double> cell, base, probes;
    for (int i = 0; i < 7; ++i) {
      const bool far = i < 4;
      base.push_back(kBaseWallNs);
      cell.push_back(kBaseWallNs * (far ? 1.5 : 1.02));
      probes.push_back(far ? 240 : 60);
    }
    c["summary"]["paired"] = {{"ratio", 1.5},         {"low", 1.02},
                              {"high", 1.5},          {"baseline_wall_ns", base},
                              {"cell_wall_ns", cell}, {"line_round_trip_ns", probes}};
  }
  std::vector<nlohmann::json> reps;
  for (int i = 0; i < 6; ++i) {
    nlohmann::json r = probed_bench("lock/mutex_lock_unlock/uncontended", 20, 60 + i % 3);
    r["line_rt_after_ns"] = 61;
    reps.push_back(r);
  }
  MicrobenchCosts c;
  c.add_json(microbench_with("lock/mutex_lock_unlock/uncontended", reps), "t");
  const CrossCoreRegime alone = cross_core_regime(m, costs());  // no probed microbench
  CHECK(alone.low_ns > 60);                                     // the near pairs would be left out
  CHECK(alone.high_ns >= 240);
  const CrossCoreRegime pooled = cross_core_regime(m, c);
  CHECK(pooled.microbench_probes == 12);  // 6 repetitions, each probed before and after
  CHECK(pooled.low_ns <= 60);             // the near band is the regime
  CHECK(pooled.high_ns < 240);
  const Explanation e = explain_matrix(m, c, "m.json", "mb/");
  const ExplainRow& b = row_of(e, "batch_lock");
  CHECK(b.pairs_outside_regime == 4);
  // Measured over the 3 pairs the unit costs ran beside: their ratio, not the far pairs'.
  CHECK(b.measured_ns_per_record == Approx((1.02 - 1) * kBaseWallNs / kRecords));
}

TEST_CASE("explain: a strategy's share sums the cells above noise only", "[explain]") {
  nlohmann::json m = matrix();
  // Two more batch_lock cells in another scenario: one within noise, one above.
  nlohmann::json extra = m["cells"][1];
  extra["id"] = "s9/batch_lock/passthrough/b100/p1/n1000";
  extra["scenario"] = "s9";
  m["cells"].push_back(extra);
  pair(m, "batch_lock", 1.02, 1.01, 1.04);              // both batch_lock cells: 20 ns, above noise
  m["cells"][4]["summary"]["paired"]["ratio"] = 1.001;  // predicted 1.17 of 1 ns: within 20%
  m["cells"][4]["summary"]["paired"]["low"] = 1.0005;
  pair(m, "per_record_lock", 1.03, 0.99, 1.06);  // within noise
  const Explanation e = explain_matrix(m, costs(), "m.json", "mb/");
  std::map<std::string, StrategySummary> by_group;
  for (const StrategySummary& s : e.summary) by_group[s.group] = s;
  const StrategySummary& b = by_group.at("batch_lock");
  CHECK(b.cells == 2);
  CHECK(b.above_noise == 2);
  CHECK(b.within_noise == 0);
  CHECK(b.measured_ns == Approx(21.0));
  CHECK(b.predicted_ns == Approx(2 * 1.17));
  REQUIRE(b.explained_share);
  CHECK(*b.explained_share == Approx(2.34 / 21));
  CHECK(b.within_20pct == 1);
  const StrategySummary& p = by_group.at("per_record_lock");
  CHECK(p.within_noise == 1);
  CHECK(p.above_noise == 0);
  CHECK_FALSE(p.explained_share);
  CHECK(by_group.at("adaptive p1 moodycamel").above_noise == 1);

  // --require 0.9: batch_lock (11%) falls short, adaptive (60.54 of 60 ns: 101%) passes, and
  // per_record_lock has nothing to explain.
  const std::vector<std::string> short_of = e.falling_short(0.9);
  REQUIRE(short_of.size() == 1);
  CHECK_THAT(short_of[0], Catch::StartsWith("batch_lock: explains 11% over 2 cells"));
  CHECK(e.falling_short(0.995).size() == 2);
  CHECK(e.falling_short(0.1).empty());
  // The bar's second half: batch_lock has 1 of its 2 cells within +-20%, adaptive 1 of 1.
  const std::vector<std::string> cells_short = e.falling_short(0.1, 0.8);
  REQUIRE(cells_short.size() == 1);
  CHECK(cells_short[0] == "batch_lock: 1 of 2 cells above noise within +-20% (needs 80%)");
  CHECK(e.falling_short(0.1, 0.5).empty());
}

TEST_CASE("explain: a group's sums add a faster-than-direct cell by its magnitude", "[explain]") {
  // A cost over-predicted and an equal saving under-predicted by the same amount: summed with
  // their signs, measured would be 0 and the share undefined. Made-up units, not measurements.
  constexpr double kCell = 20, kOff = 2;
  const auto row = [](double measured, double predicted) {
    ExplainRow r;
    r.group = "adaptive p1 moodycamel";
    r.measured_ns_per_record = measured;
    r.predicted_ns_per_record = predicted;
    return r;
  };
  const std::vector<StrategySummary> mixed =
      summarize({row(kCell, kCell + kOff), row(-kCell, -(kCell - kOff))});
  REQUIRE(mixed.size() == 1);
  CHECK(mixed[0].measured_ns == Approx(2 * kCell));
  CHECK(mixed[0].predicted_ns == Approx(2 * kCell));  // (kCell + kOff) + (kCell - kOff)
  REQUIRE(mixed[0].explained_share);
  CHECK(*mixed[0].explained_share == Approx(1.0));
  CHECK(mixed[0].within_20pct == 2);
  // A saving over-predicted (half as large again) counts as explaining more than there is, as an
  // over-predicted cost would.
  const std::vector<StrategySummary> savings =
      summarize({row(-kCell, -1.5 * kCell), row(-kCell / 2, -kCell / 2)});
  CHECK(savings[0].measured_ns == Approx(1.5 * kCell));
  CHECK(*savings[0].explained_share == Approx(2.0 / 1.5));
}

TEST_CASE("explain: a cell the matrix flagged as an artifact is listed, not summed", "[explain]") {
  nlohmann::json m = matrix();
  pair(m, "batch_lock", 0.97, 0.95, 0.99);  // does direct's work plus more, yet read faster
  // What result_output.cpp writes for it: the anomaly, and the baseline only inside its pairs.
  nlohmann::json& summary = m["cells"][1]["summary"];
  summary["paired"]["baseline"] = summary["baseline"];
  summary.erase("baseline");
  summary["anomaly"] = "batch_lock does direct's work plus more, yet read 0.970x of direct";
  const Explanation e = explain_matrix(m, costs(), "m.json", "mb/");
  CHECK(e.not_explained.empty());  // not "no baseline"
  const ExplainRow& b = row_of(e, "batch_lock");
  CHECK(b.artifact == summary["anomaly"].get<std::string>());
  CHECK(b.measured_ns_per_record == Approx(-30.0));  // shown as measured
  std::map<std::string, StrategySummary> by_group;
  for (const StrategySummary& s : e.summary) by_group[s.group] = s;
  const StrategySummary& s = by_group.at("batch_lock");
  CHECK(s.cells == 1);
  CHECK(s.artifacts == 1);
  CHECK(s.above_noise == 0);
  CHECK(s.measured_ns == 0);
  CHECK_FALSE(s.explained_share);
  CHECK(e.to_json()["summary"][0]["artifacts"] == 1);
}

TEST_CASE("explain: a cell on threads of its own within the floor between processes is noise",
          "[explain]") {
  nlohmann::json m = matrix();
  for (nlohmann::json& c : m["cells"])  // adaptive's passes ran a reader and a worker besides
    if (c["strategy"] == "adaptive")
      for (nlohmann::json& sample : c["samples"])
        sample["threads"] = {{{"role", "job"}}, {{"role", "reader"}}, {{"role", "worker 0"}}};
  pair(m, "adaptive", 1.02, 1.01, 1.04);         // 2% over direct: above its interval's noise
  pair(m, "batch_lock", 1.02, 1.01, 1.04);       // the same, on the calling thread as direct
  pair(m, "per_record_lock", 0.97, 0.95, 0.99);  // faster than direct beyond its interval
  m["cells"][2]["summary"]["anomaly"] = "per_record_lock read 0.970x of direct";
  ProcessFloor floor;
  floor.processes = 2;
  floor.readings = {{"a.json: s0", 0.96, 0.95, 0.97, "s0", 0},
                    {"b.json: s0", 1.01, 1.0, 1.02, "s0", 0}};
  constexpr double kFloor = 0.04;  // beyond the cells at 2%, short of the one at 6% below
  floor.fraction = kFloor;
  const double floor_ns = kFloor * kBaseWallNs / kRecords;
  const Explanation e = explain_matrix(m, costs(), "m.json", "mb/", {}, floor);
  const ExplainRow& a = row_of(e, "adaptive");
  CHECK(a.within_noise);
  CHECK(a.within_process_floor);
  CHECK(a.process_floor_ns == Approx(floor_ns));
  // The threads' A/A pair says nothing about a loop on the calling thread, as direct's own.
  CHECK_FALSE(row_of(e, "batch_lock").within_noise);
  CHECK(row_of(e, "batch_lock").process_floor_ns == 0);
  CHECK_FALSE(row_of(e, "per_record_lock").artifact.empty());
  std::map<std::string, StrategySummary> by_group;
  for (const StrategySummary& s : e.summary) by_group[s.group] = s;
  CHECK(by_group.at("adaptive p1 moodycamel").within_process_floor == 1);
  CHECK(by_group.at("batch_lock").above_noise == 1);
  const nlohmann::json j = e.to_json();
  CHECK(j["process_floor"]["fraction"] == kFloor);
  CHECK(j["process_floor"]["readings"].size() == 2);

  SECTION("an artifact within the floor is within noise, not an artifact") {
    pair(m, "adaptive", 0.97, 0.95, 0.99);
    m["cells"][3]["summary"]["anomaly"] = "adaptive read 0.970x of direct";
    const Explanation e = explain_matrix(m, costs(), "m.json", "mb/", {}, floor);
    const ExplainRow& r = row_of(e, "adaptive");
    CHECK(r.within_process_floor);
    CHECK(r.artifact.empty());
  }
  SECTION("an overhead beyond the floor stays above noise") {
    pair(m, "adaptive", 1.06, 1.05, 1.07);
    const Explanation e = explain_matrix(m, costs(), "m.json", "mb/", {}, floor);
    const ExplainRow& r = row_of(e, "adaptive");
    CHECK_FALSE(r.within_noise);
    CHECK(r.process_floor_ns == Approx(floor_ns));
  }
  SECTION("the calling-thread pair's floor holds for a loop on the calling thread") {
    floor.readings.push_back({"a.json: s0", 1.03, 1.02, 1.04, "s0", 0, /*calling_thread=*/true});
    floor.calling_thread_fraction = kFloor;
    const Explanation with = explain_matrix(m, costs(), "m.json", "mb/", {}, floor);
    // A row's floor is its kind's share of its own baseline, whatever the unit.
    auto floor_share = [](const ExplainRow& r) {
      return r.process_floor_ns / r.baseline_ns_per_record;
    };
    CHECK(row_of(with, "batch_lock").within_process_floor);
    CHECK(floor_share(row_of(with, "batch_lock")) == Approx(kFloor));
    CHECK(row_of(with, "adaptive").within_process_floor);  // by its own kind's floor
    // Each kind by its own share: the threaded pairs' wider floor does not reach batch_lock.
    constexpr double kNarrow = 0.01;  // short of the cells at 2%
    floor.calling_thread_fraction = kNarrow;
    const Explanation narrow = explain_matrix(m, costs(), "m.json", "mb/", {}, floor);
    CHECK_FALSE(row_of(narrow, "batch_lock").within_noise);
    CHECK(floor_share(row_of(narrow, "batch_lock")) == Approx(kNarrow));
    CHECK(floor_share(row_of(narrow, "adaptive")) == Approx(kFloor));
    CHECK(row_of(narrow, "adaptive").within_process_floor);
    CHECK(narrow.to_json()["process_floor"]["calling_thread_fraction"] == kNarrow);
  }
  SECTION("without the floor, the same cell is above noise") {
    const Explanation without = explain_matrix(m, costs(), "m.json", "mb/");
    CHECK_FALSE(row_of(without, "adaptive").within_noise);
    CHECK(without.to_json()["process_floor"].is_null());
  }
}

TEST_CASE("explain: a negative unit cost is priced at 0 and named", "[explain]") {
  nlohmann::json mb = microbench();
  for (nlohmann::json& b : mb["benchmarks"])  // the loop now costs less than direct's own
    if (b["name"] == "batch/job_loop/batch:1") b = bench("batch/job_loop/batch:1", 20);
  MicrobenchCosts c;
  c.add_json(mb, "t");
  const Explanation e = explain_matrix(matrix(), c, "m.json", "mb/");
  const ExplainRow& r = row_of(e, "batch_lock");
  CHECK(component(r, "batches") == 0);
  REQUIRE(e.unit_cost_problems.size() == 1);
  CHECK_THAT(e.unit_cost_problems[0],
             Catch::Contains("batches") &&
                 Catch::Contains("batch/job_loop/batch:1 - batch/direct_loop/batch:1") &&
                 Catch::Contains("-10.00 ns"));
}

TEST_CASE("explain: partitions run at the machine's measured parallel capacity", "[explain]") {
  nlohmann::json m = matrix();
  nlohmann::json p2 = lockless_p2_of(m);
  m["cells"].push_back(p2);
  const Explanation e = explain_matrix(m, costs(), "m.json", "mb/");
  const ExplainRow& r = row_of(e, "lockless_stp");
  // Two threads get 10/8 = 1.25 CPUs here, not 2: the baseline's 1000 ns/record becomes 800.
  CHECK(component(r, "parallel_work") == Approx(1000 * (1 / 1.25 - 1)));
  CHECK(component(r, "threads") == Approx(2 * 20000.0 / 1000));
  CHECK(component(r, "clock_reads") == Approx(10 / 1.25 / 1000 * 25));
  CHECK(component(r, "batches") == Approx(10 / 1.25 / 1000 * 20));
  CHECK(r.critical_path.find("capacity 1.25") != std::string::npos);
  SECTION("a machine whose second CPU slows both down makes partitions cost") {
    MicrobenchCosts slow;
    nlohmann::json mb = microbench();
    for (nlohmann::json& b : mb["benchmarks"])
      if (b["name"] == "machine/parallel_engine/threads:2/real_time")
        b = bench("machine/parallel_engine/threads:2/real_time", 12.5);  // capacity 0.8
    slow.add_json(mb, "t");
    const Explanation s = explain_matrix(m, slow, "m.json", "mb/");
    CHECK(component(row_of(s, "lockless_stp"), "parallel_work") == Approx(1000 * (1 / 0.8 - 1)));
  }
  SECTION("a skewed key split: the busiest partition runs on alone after the other ends") {
    // Partition 0 got 800 of the 1000 records: both run at capacity 1.25 until partition 1's 200
    // are done (0.2 of the baseline's work each, at 1.25 / 2 of one CPU), then the other 0.6
    // alone: 0.6 + 0.2 x 2 / 1.25 = 0.92 of the baseline.
    nlohmann::json skewed = m;
    skewed["cells"].back()["samples"][0]["threads"] = {{{"role", "job"}},
                                                       {{"role", "partition 0"}, {"records", 800}},
                                                       {{"role", "partition 1"}, {"records", 200}}};
    const Explanation s = explain_matrix(skewed, costs(), "m.json", "mb/");
    const ExplainRow& sr = row_of(s, "lockless_stp");
    CHECK(component(sr, "parallel_work") == Approx(1000 * (0.6 + 0.2 * 2 / 1.25 - 1)));
    CHECK(component(sr, "clock_reads") == Approx(10 * 0.92 / 1000 * 25));
    CHECK(sr.critical_path.find("80% of the records") != std::string::npos);
    // A role that names no partition index leaves the split unknown: even shares.
    nlohmann::json odd = skewed;
    odd["cells"].back()["samples"][0]["threads"][2]["role"] = "partition x";
    CHECK(component(row_of(explain_matrix(odd, costs(), "m.json", "mb/"), "lockless_stp"),
                    "parallel_work") == Approx(1000 * (1 / 1.25 - 1)));
    // A sample without a count for every partition falls back to even shares.
    skewed["cells"].back()["samples"][0]["threads"].erase(2);
    const Explanation even = explain_matrix(skewed, costs(), "m.json", "mb/");
    CHECK(component(row_of(even, "lockless_stp"), "parallel_work") ==
          Approx(1000 * (1 / 1.25 - 1)));
  }
  SECTION("pinned: partition 0 starts on the job thread's CPU, partition 1 moves") {
    // Made-up unit costs: the arithmetic is checked, not a timing.
    nlohmann::json mb = microbench();
    mb["benchmarks"].push_back(bench("thread/start_join_pinned/same_cpu/real_time", 10000));
    mb["benchmarks"].push_back(bench("thread/start_join_pinned/other_cpu/real_time", 30000));
    MicrobenchCosts placed;
    placed.add_json(mb, "t");
    nlohmann::json pinned = m;
    pinned["cells"].back()["config"]["pin_threads"] = true;
    CHECK(component(row_of(explain_matrix(pinned, placed, "m.json", "mb/"), "lockless_stp"),
                    "threads") == Approx((10000 + 30000) / 1000.0));
    // No first-allocation figures in these results: no fresh_heaps term at all.
    const Explanation without = explain_matrix(pinned, placed, "m.json", "mb/");
    for (const ComponentEstimate& t : row_of(without, "lockless_stp").components)
      CHECK(t.name != "fresh_heaps");
    // With them, each of the two threads sets up a heap: 2 x (15000 - 10000) ns over 1000 records.
    mb["benchmarks"].push_back(bench("thread/first_allocations/new_thread/real_time", 15000));
    mb["benchmarks"].push_back(bench("thread/first_allocations/warm_thread/real_time", 10000));
    MicrobenchCosts heaps;
    heaps.add_json(mb, "t");
    CHECK(component(row_of(explain_matrix(pinned, heaps, "m.json", "mb/"), "lockless_stp"),
                    "fresh_heaps") == Approx(2 * 5000 / 1000.0));
    // No meter figure in them either: no thread_meters term. With one, each thread runs a meter.
    const Explanation unmetered = explain_matrix(pinned, heaps, "m.json", "mb/");
    for (const ComponentEstimate& t : row_of(unmetered, "lockless_stp").components)
      CHECK(t.name != "thread_meters");
    // What is checked is the count (one meter per thread started, 2 threads over 1000 records)
    // and that the term is priced by thread/meter's figure, whatever it is.
    mb["benchmarks"].push_back(bench("thread/meter", 2000));  // made up
    MicrobenchCosts metered;
    metered.add_json(mb, "t");
    const Explanation with_meter = explain_matrix(pinned, metered, "m.json", "mb/");
    int meters = 0;
    for (const ComponentEstimate& t : row_of(with_meter, "lockless_stp").components) {
      if (t.name != "thread_meters") continue;
      ++meters;
      CHECK(t.benchmark == "thread/meter");
      CHECK(t.count_per_record == Approx(2 / 1000.0));
      CHECK(t.unit_cost_ns == Approx(metered.ns_per_item("thread/meter")));
      CHECK(t.predicted_ns_per_record == Approx(t.count_per_record * t.unit_cost_ns));
    }
    CHECK(meters == 1);
    pinned["cells"].back()["config"]["partitions"] = 1;
    const Explanation one = explain_matrix(pinned, placed, "m.json", "mb/");
    for (const ComponentEstimate& t : row_of(one, "lockless_stp").components)
      if (t.name == "threads") {
        CHECK(t.benchmark == "thread/start_join_pinned/same_cpu/real_time");
        CHECK(t.predicted_ns_per_record == Approx(10000 / 1000.0));
      }
  }
  SECTION("threads start as a matrix pass starts them, after the calling thread was busy") {
    // Made-up unit costs: where the run measured the busy variants they price the starts, back
    // to back otherwise (the section above).
    // The expected prices are read back from the costs built here: partition 0 on the job
    // thread's CPU, partition 1 moved, over the cell's 1000 records.
    const double made_up_back_to_back = 1, made_up_after_busy = 3;
    const std::string busy = "/busy_us:200/iterations:1000/manual_time";
    auto pinned_start = [](const char* where, const std::string& timing) {
      return std::string("thread/start_join_pinned/") + where + timing;
    };
    nlohmann::json mb = microbench();
    for (const char* where : {"same_cpu", "other_cpu"}) {
      mb["benchmarks"].push_back(bench(pinned_start(where, "/real_time"), made_up_back_to_back));
      mb["benchmarks"].push_back(bench(pinned_start(where, busy), made_up_after_busy));
    }
    mb["benchmarks"].push_back(bench("thread/start_join" + busy, made_up_after_busy));
    MicrobenchCosts after_busy;
    after_busy.add_json(mb, "t");
    nlohmann::json pinned = m;
    pinned["cells"].back()["config"]["pin_threads"] = true;
    CHECK(component(row_of(explain_matrix(pinned, after_busy, "m.json", "mb/"), "lockless_stp"),
                    "threads") == Approx((after_busy.ns_per_item(pinned_start("same_cpu", busy)) +
                                          after_busy.ns_per_item(pinned_start("other_cpu", busy))) /
                                         1000.0));
    CHECK(component(row_of(explain_matrix(m, after_busy, "m.json", "mb/"), "lockless_stp"),
                    "threads") ==
          Approx(2 * after_busy.ns_per_item("thread/start_join" + busy) / 1000.0));
  }
}

TEST_CASE("explain: records born on another core cost their lines, a remote free and a reuse",
          "[explain]") {
  // Made-up microbench costs (ns a record), not timings: each term is a difference of two of them.
  constexpr double kSameMake = 60, kSameUse = 40, kOtherReadsUse = 70, kOtherFreesMake = 75,
                   kOtherFreesUse = 80, kCrossingPingPong = 6, kCrossingSame = 2;
  nlohmann::json mb = microbench();
  for (const auto& [name, ns] : std::map<std::string, double>{
           {"records/same_thread/make/batch:1000/manual_time", kSameMake},
           {"records/same_thread/use/batch:1000/manual_time", kSameUse},
           {"records/other_reads/use/batch:1000/manual_time", kOtherReadsUse},
           {"records/other_reads_frees/make/batch:1000/manual_time", kOtherFreesMake},
           {"records/other_reads_frees/use/batch:1000/manual_time", kOtherFreesUse},
           {"crossing/ping_pong/batch:1000/real_time", kCrossingPingPong},
           {"crossing/same_thread/batch:1000/real_time", kCrossingSame}})
    mb["benchmarks"].push_back(bench(name, ns));
  MicrobenchCosts c;
  c.add_json(mb, "t");
  // The batch's pointers crossing are queue_crossing's, so record_lines takes them out.
  constexpr double kPointers = 0.5 * (kCrossingPingPong - kCrossingSame);
  constexpr double kLines = kOtherReadsUse - kSameUse - kPointers;
  constexpr double kFrees = kOtherFreesUse - kOtherReadsUse;
  nlohmann::json m = matrix();
  SECTION("adaptive over a materialized source: the workers use, the reader reallocates") {
    m["cells"][3]["config"]["source"] = "materialized";
    m["cells"][0]["config"]["source"] = "materialized";
    // The worker's pops: 5 of 10 found the queue empty and waited for a batch just written; the
    // other 5 took one made while it worked (aged_records).
    constexpr double kWaited = 5.0 / 10;
    const Explanation e = explain_matrix(m, c, "m.json", "mb/");
    const ExplainRow& r = row_of(e, "adaptive");
    REQUIRE(r.critical_path.find("workers") == 0);
    CHECK(component(r, "record_lines") == Approx(kLines * kWaited));
    CHECK(component(r, "remote_frees") == Approx(kFrees * kWaited));
    CHECK(component(r, "reused_blocks") == 0);  // on the reader's path, off the critical one
    // Without records/ahead in the results, an aged record is priced as a fresh one.
    CHECK(component(r, "aged_records") == Approx((kLines + kFrees) * (1 - kWaited)));
    // With it: the batch made a turn earlier, read and freed, less one thread's use and the
    // pointers crossing, as record_lines takes them out.
    constexpr double kAheadUse = 55;
    const MicrobenchCosts aged = costs_with(
        mb, {bench("records/ahead/other_reads_frees/use/batch:1000/lead:1/manual_time", kAheadUse)});
    const Explanation with_aged = explain_matrix(m, aged, "m.json", "mb/");
    const ExplainRow& a = row_of(with_aged, "adaptive");
    CHECK(component(a, "aged_records") == Approx((kAheadUse - kSameUse - kPointers) * (1 - kWaited)));
    CHECK(component(a, "record_lines") == Approx(kLines * kWaited));
  }
  SECTION("a worker that never found its queue empty reads only aged records") {
    m["cells"][3]["config"]["source"] = "materialized";
    m["cells"][0]["config"]["source"] = "materialized";
    m["cells"][3]["samples"][0]["queue"]["consumer_waits"] = 0;
    const Explanation e = explain_matrix(m, c, "m.json", "mb/");
    const ExplainRow& r = row_of(e, "adaptive");
    CHECK(component(r, "record_lines") == 0);
    CHECK(component(r, "remote_frees") == 0);
    CHECK(component(r, "aged_records") == Approx(kLines + kFrees));
  }
  SECTION("adaptive over lent records moves pointers only") {
    const Explanation e = explain_matrix(m, c, "m.json", "mb/");
    const ExplainRow& r = row_of(e, "adaptive");
    CHECK(component(r, "record_lines") == 0);
    CHECK(component(r, "remote_frees") == 0);
  }
  SECTION("streaming with the sql engine: per output row, on the job thread's path") {
    nlohmann::json s = m["cells"][1];
    s["id"] = "s0/streaming/sql/b100/p1/n1000";
    s["strategy"] = "streaming";
    s["config"]["engine"] = "sql";
    s["samples"][0]["rows_produced"] = 500;
    s["samples"][0]["locks_taken"] = 0;
    m["cells"].push_back(s);
    nlohmann::json base = m["cells"][0];
    base["id"] = "s0/direct/sql/b100/p1/n1000";
    base["config"]["engine"] = "sql";
    m["cells"].push_back(base);
    m["cells"][m["cells"].size() - 2]["summary"]["baseline"] = "s0/direct/sql/b100/p1/n1000";
    mb["benchmarks"].push_back(bench("startup/whole/eager/records:1/real_time", 50000));
    mb["benchmarks"].push_back(bench("raw/mutex-deque/push_pop", 40));
    mb["benchmarks"].push_back(bench("batch/output_vector/fresh/batch:100", 3));
    mb["benchmarks"].push_back(bench("batch/output_vector/reuse/batch:100", 1));
    mb["benchmarks"].push_back(bench("crossing/ping_pong/batch:16/real_time", 7));
    mb["benchmarks"].push_back(bench("crossing/same_thread/batch:16/real_time", 1));
    MicrobenchCosts with_streaming;
    with_streaming.add_json(mb, "t");
    const Explanation e = explain_matrix(m, with_streaming, "m.json", "mb/");
    const ExplainRow& r = row_of(e, "streaming");
    // The baseline has no engine phase here, so the job thread carries all of its work.
    REQUIRE(r.critical_path.find("job thread") == 0);
    CHECK(component(r, "record_lines") == Approx(500 * kLines / 1000));
    CHECK(component(r, "remote_frees") == Approx(500 * kFrees / 1000));
    CHECK(component(r, "reused_blocks") == 0);  // the producer's, off the critical path
    // ... but the producer's load runs beside it, slowed by the machine's two-thread capacity:
    // the term is that load x (2 / capacity - 1), so it scales with the capacity's factor and
    // vanishes on a machine whose two CPUs are independent.
    const double at_125 = component(r, "parallel_work");  // 2 / 1.25 - 1 = 0.6
    CHECK(at_125 > 0);
    auto with_capacity = [&](double threads2_ns) {
      nlohmann::json other = mb;
      for (nlohmann::json& b : other["benchmarks"])
        if (b["name"] == "machine/parallel_engine/threads:2/real_time")
          b = bench("machine/parallel_engine/threads:2/real_time", threads2_ns);
      MicrobenchCosts c2;
      c2.add_json(other, "t");
      const Explanation x = explain_matrix(m, c2, "m.json", "mb/");
      return component(row_of(x, "streaming"), "parallel_work");
    };
    CHECK(with_capacity(12.5) == Approx(at_125 * 1.5 / 0.6));  // capacity 0.8: 2 / 0.8 - 1
    CHECK(with_capacity(5) == Approx(0).margin(1e-12));       // capacity 2: independent CPUs
    SECTION("a producer that does the work: it pays each wake of the job thread it blocked") {
      // The baseline's engine phase puts 900 of its 1000 ns a record on the producer. The job
      // thread blocked 8 times beyond direct's switches, its wait for the first batch and its
      // join (both in stream_startup's one-record stream): 8 condvar wakes at the 100 us gap
      // (106 us a batch), each at that benchmark's made-up cost, on the producer's critical path.
      const std::string wake = "thread/wake_sleeping/condvar/gap_us:100/manual_time";
      m["cells"].back()["instrumented_samples"] = {
          {{"wall_ns", kBaseWallNs},
           {"threads", {{{"role", "job"}, {"phase_ns", {{"engine", 900'000}}}}}}}};
      nlohmann::json& cell = m["cells"][m["cells"].size() - 2];
      cell["samples"][0]["voluntary_switches"] = 10;
      const Explanation w = explain_matrix(m, with_streaming, "m.json", "mb/");
      const ExplainRow& wr = row_of(w, "streaming");
      REQUIRE(wr.critical_path.find("producer") == 0);
      CHECK(component(wr, "wakeups") == Approx(8 * with_streaming.ns_per_item(wake) / 1000));
      SECTION(
          "a pooled thread is given back, not joined: only the first batch's wait is its start's") {
        cell["config"]["streaming"] = "pooled";
        nlohmann::json pooled_mb = mb;
        pooled_mb["benchmarks"].push_back(
            bench("startup/whole/pooled/records:1/spin_us:0/real_time", 50000));
        MicrobenchCosts pooled_costs;
        pooled_costs.add_json(pooled_mb, "t");
        const Explanation p = explain_matrix(m, pooled_costs, "m.json", "mb/");
        CHECK(component(row_of(p, "streaming"), "wakeups") ==
              Approx(9 * pooled_costs.ns_per_item(wake) / 1000));
      }
    }
    SECTION("a stream starts as the matrix's passes do, after the calling thread was busy") {
      // Made-up costs: where the run measured the busy variant it prices the start, else the
      // streams back to back (older results).
      // One stream over the cell's 1000 records.
      const std::string back_to_back = "startup/whole/eager/records:1/real_time";
      const std::string after_busy =
          "startup/whole/eager/records:1/busy_us:200/iterations:1000/manual_time";
      CHECK(component(r, "stream_startup") ==
            Approx(with_streaming.ns_per_item(back_to_back) / 1000));
      const double made_up_after_busy = 7;
      nlohmann::json busy_mb = mb;
      busy_mb["benchmarks"].push_back(bench(after_busy, made_up_after_busy));
      MicrobenchCosts busy_costs;
      busy_costs.add_json(busy_mb, "t");
      REQUIRE(busy_costs.ns_per_item(after_busy) != Approx(busy_costs.ns_per_item(back_to_back)));
      const Explanation b = explain_matrix(m, busy_costs, "m.json", "mb/");
      CHECK(component(row_of(b, "streaming"), "stream_startup") ==
            Approx(busy_costs.ns_per_item(after_busy) / 1000));
    }
    SECTION("a producer that decodes and runs the query: per record read, where measured") {
      // Made-up unit costs: the arithmetic is checked, not a timing. The producer carries 900 of
      // the baseline's 1000 a record; it decodes from a materialized source and frees what the
      // query leaves out itself.
      m["cells"].back()["instrumented_samples"] = {
          {{"wall_ns", kBaseWallNs},
           {"threads", {{{"role", "job"}, {"phase_ns", {{"engine", 900'000}}}}}}}};
      for (nlohmann::json& cell : m["cells"]) cell["config"]["source"] = "materialized";
      auto has = [](const ExplainRow& r, const std::string& name) {
        return std::any_of(r.components.begin(), r.components.end(),
                           [&](const ComponentEstimate& c) { return c.name == name; });
      };
      SECTION("the query's own mix measured: the produce difference, once per record read") {
        // Made-up unit costs, not timings: the model's arithmetic is what is checked. Each
        // expected figure below is read back from the costs the test built.
        const nlohmann::json turns =
            bench("records/other_reads_frees/produce/s0/batch:1000/manual_time", 120);
        const nlohmann::json alone =
            bench("records/same_thread/produce/s0/batch:1000/manual_time", 100);
        const nlohmann::json at_once =
            bench("records/overlapped_frees/produce/s0/batch:1000/manual_time", 140);
        const MicrobenchCosts all = costs_with(mb, {at_once, turns, alone});
        const double overlapped =
            all.ns_per_item("records/overlapped_frees/produce/s0/batch:1000/manual_time");
        const double other =
            all.ns_per_item("records/other_reads_frees/produce/s0/batch:1000/manual_time");
        const double same =
            all.ns_per_item("records/same_thread/produce/s0/batch:1000/manual_time");
        SECTION("with the job thread freeing while the producer makes the next batch") {
          const Explanation x = explain_matrix(m, all, "m.json", "mb/");
          const ExplainRow& r = row_of(x, "streaming");
          REQUIRE(r.critical_path.find("producer") == 0);
          CHECK(component(r, "produced_rows") == Approx(overlapped - same));  // per record read
          CHECK_FALSE(has(r, "reused_blocks"));
        }
        SECTION("results from before it: the two sides taking turns") {
          const Explanation x = explain_matrix(m, costs_with(mb, {turns, alone}), "m.json", "mb/");
          const ExplainRow& r = row_of(x, "streaming");
          REQUIRE(r.critical_path.find("producer") == 0);
          CHECK(component(r, "produced_rows") == Approx(other - same));
          CHECK_FALSE(has(r, "reused_blocks"));
        }
      }
      SECTION("older results: reused_blocks over the 500 output rows") {
        const Explanation x = explain_matrix(m, with_streaming, "m.json", "mb/");
        const ExplainRow& r = row_of(x, "streaming");
        REQUIRE(r.critical_path.find("producer") == 0);
        CHECK(component(r, "reused_blocks") == Approx(500 * 15.0 / 1000));
        CHECK_FALSE(has(r, "produced_rows"));
      }
    }
  }
  SECTION("streaming with the passthrough engine: its rows are the records it read") {
    nlohmann::json s = m["cells"][1];
    s["id"] = "s0/streaming/passthrough/b100/p1/n1000";
    s["strategy"] = "streaming";
    s["samples"][0]["rows_produced"] = 1000;
    s["samples"][0]["locks_taken"] = 0;
    m["cells"].push_back(s);
    for (const char* name :
         {"startup/whole/eager/records:1/real_time", "raw/mutex-deque/push_pop",
          "batch/output_vector/fresh/batch:100", "batch/output_vector/reuse/batch:100"})
      mb["benchmarks"].push_back(bench(name, 1));
    MicrobenchCosts with_streaming;
    with_streaming.add_json(mb, "t");
    SECTION("decoded by the producer: read and freed on the job thread") {
      m["cells"][0]["config"]["source"] = "materialized";
      m["cells"].back()["config"]["source"] = "materialized";
      const Explanation e = explain_matrix(m, with_streaming, "m.json", "mb/");
      const ExplainRow& r = row_of(e, "streaming");
      REQUIRE(r.critical_path.find("job thread") == 0);
      CHECK(component(r, "record_lines") == Approx(28.0));
      CHECK(component(r, "remote_frees") == Approx(10.0));
    }
    SECTION("lent: pointers handed on, nothing freed") {
      const Explanation e = explain_matrix(m, with_streaming, "m.json", "mb/");
      const ExplainRow& r = row_of(e, "streaming");
      CHECK(component(r, "record_lines") == 0);
      CHECK(component(r, "remote_frees") == 0);
      CHECK(component(r, "reused_blocks") == 0);
    }
  }
}

TEST_CASE("explain: pinned adaptive with more threads than CPUs loads the reader's CPU",
          "[explain]") {
  nlohmann::json mb = microbench();
  mb["benchmarks"].push_back(bench("routing/records/s0/real_time", 30));
  mb["benchmarks"].push_back(bench("thread/start_join_pinned/real_time", 50000));
  // Two workers share the writer's lock: contended.
  mb["benchmarks"].push_back(bench("lock/mutex_lock_unlock/contended/real_time/threads:2", 20));
  MicrobenchCosts c;
  c.add_json(mb, "t");
  nlohmann::json m = matrix();  // 2 cores
  nlohmann::json& a = m["cells"][3];
  a["id"] = "s0/adaptive/passthrough/b100/p2/n1000";
  a["config"]["partitions"] = 2;
  SECTION("pinned: reader and worker 0 share CPU slot 0, at the machine's capacity") {
    a["config"]["pin_threads"] = true;
    const Explanation e = explain_matrix(m, c, "m.json", "mb/");
    const ExplainRow& r = row_of(e, "adaptive");
    CHECK(r.critical_path.find("reader + 1 worker(s) on CPU slot 0") == 0);
    CHECK(component(r, "routing") == Approx(30.0));
    // Half the baseline's 1000 ns/record runs on the other CPU.
    CHECK(component(r, "overlapped_base_work") == Approx(-500.0));
    // Reader: routing 30 + batches 0.2 + clock reads 0.5 + push 4 + waking the workers 5 times
    // (1000 ns each: these results have no same-CPU wake, so worker 0's are priced as worker 1's);
    // worker 0: 500 + pop 2 + crossing 1.5 + locks 0.11 + clock reads 0.25, its waits to be woken
    // spent running the reader. Worker 1 alone on the other CPU: the same plus waiting to be
    // woken in its half of the 5 waits (2000 ns each); while it runs, two busy CPUs give 1.25: its
    // load x (2 / 1.25 - 1) is what the busiest CPU loses.
    CHECK(component(r, "wakeups") == Approx(5.0));
    CHECK(component(r, "handoffs") == 0);
    const double worker_load = 500 + 2 + 1.5 + 0.11 + 0.25 + 5;
    CHECK(component(r, "parallel_work") == Approx(worker_load * 0.6));
    // Three threads, each pinning itself as it starts (priced by the older, unsplit benchmark).
    CHECK(component(r, "threads") == Approx(3 * 50000.0 / 1000));
  }
  SECTION("pinned: worker 0's wakes switch the reader's own CPU, worker 1's rouse the other") {
    a["config"]["pin_threads"] = true;
    constexpr double kSameCpuWakeNs = 200;  // made up: the arithmetic is checked
    nlohmann::json beside = mb;
    beside["benchmarks"].push_back(
        bench("thread/wake_sleeping/event_count/same_cpu/gap_us:100/manual_time", kSameCpuWakeNs));
    MicrobenchCosts costs;
    costs.add_json(beside, "t");
    const Explanation e = explain_matrix(m, costs, "m.json", "mb/");
    const ExplainRow& r = row_of(e, "adaptive");
    // Half of the cell's waits each: worker 1's at the fixture's idle-CPU wake, worker 0's at the
    // same CPU's.
    const double idle_cpu_wake_ns =
        costs.ns_per_item("thread/wake_sleeping/event_count/gap_us:100/manual_time");
    const double waits = a["samples"][0]["queue"]["consumer_waits"].get<double>();
    CHECK(component(r, "wakeups") ==
          Approx((waits / 2 * idle_cpu_wake_ns + waits / 2 * kSameCpuWakeNs) / kRecords));
    CHECK(component(r, "handoffs") == 0);
    bool priced_beside = false;
    for (const ComponentEstimate& x : r.components)
      priced_beside |= x.name == "wakeups" && x.benchmark.find("same_cpu") != std::string::npos;
    CHECK(priced_beside);
  }
  SECTION("pinned: a thread pinned to the job thread's CPU starts there, the others move") {
    a["config"]["pin_threads"] = true;
    // Made-up unit costs: the arithmetic is checked, not a timing.
    nlohmann::json split = mb;
    split["benchmarks"].push_back(bench("thread/start_join_pinned/same_cpu/real_time", 20000));
    split["benchmarks"].push_back(bench("thread/start_join_pinned/other_cpu/real_time", 80000));
    MicrobenchCosts costs;
    costs.add_json(split, "t");
    const Explanation e = explain_matrix(m, costs, "m.json", "mb/");
    // Slots 0 (worker 0) and 2 (the reader) are CPU 0's, slot 1 (worker 1) the other's.
    const ComponentEstimate* t = nullptr;
    for (const ComponentEstimate& x : row_of(e, "adaptive").components)
      if (x.name == "threads") t = &x;
    REQUIRE(t != nullptr);
    CHECK(t->unit_cost_ns == Approx(2.0 / 3 * 20000 + 1.0 / 3 * 80000));
    CHECK(t->predicted_ns_per_record == Approx(3 * 40000.0 / 1000));
    CHECK_THAT(t->benchmark, Catch::Contains("same_cpu") && Catch::Contains("other_cpu"));
  }
  SECTION("unpinned: the longer path, and routing stays on the reader's") {
    const Explanation e = explain_matrix(m, c, "m.json", "mb/");
    const ExplainRow& r = row_of(e, "adaptive");
    CHECK(r.critical_path.find("workers") == 0);
    CHECK(component(r, "routing") == 0);
    CHECK(component(r, "parallel_work") == 0);
  }
  SECTION("round-robin routing reads no key") {
    a["config"]["pin_threads"] = true;
    a["config"]["routing"] = "round_robin";
    CHECK(component(row_of(explain_matrix(m, c, "m.json", "mb/"), "adaptive"), "routing") == 0);
  }
}

TEST_CASE("explain: injected work is priced per round and checked against its twin", "[explain]") {
  // The fixture's batch_lock cell is 20 ns a record over direct; its twin adds 10 rounds a record
  // at the fixture's 1 ns a round ((401 - 1) / 400) and `added_ns` of wall time a record.
  const auto explain_with_injected = [](double added_ns) {
    nlohmann::json m = matrix();
    nlohmann::json injected = m["cells"][1];
    injected["id"] = injected["id"].get<std::string>() + "/w10";
    injected["config"]["injected_work"] = 10;
    injected["samples"][0]["wall_ns"] = kBaseWallNs + 20'000 + added_ns * kRecords;
    m["cells"].push_back(injected);
    return explain_matrix(m, costs(), "m.json", "mb/");
  };
  const auto injected_row = [](const Explanation& e) -> const ExplainRow& {
    for (const ExplainRow& r : e.rows)
      if (r.injected_work == 10) return r;
    FAIL("no injected row");
    throw;
  };
  SECTION("priced per round, kept apart, and matched against its twin within 10%") {
    const Explanation e = explain_with_injected(10.5);
    const ExplainRow& row = injected_row(e);
    CHECK(row.group == "batch_lock w10");  // kept apart from the plain cells' share
    CHECK(component(row, "injected_work") == Approx(10.0));
    REQUIRE(e.injected_checks.size() == 1);
    const InjectedCheck& check = e.injected_checks[0];
    CHECK(check.twin == "s0/batch_lock/passthrough/b100/p1/n1000");
    CHECK(check.rounds == 10);
    CHECK(check.predicted_ns == Approx(10.0));
    CHECK(check.measured_ns == Approx(10.5));
    CHECK(check.within_10pct);
  }
  SECTION("a difference 20% off the prediction fails the check") {
    const Explanation e = explain_with_injected(12.0);
    REQUIRE(e.injected_checks.size() == 1);
    CHECK(e.injected_checks[0].measured_ns == Approx(12.0));
    CHECK_FALSE(e.injected_checks[0].within_10pct);
  }
}

TEST_CASE("explain: per_record_lock's injected rounds are priced in its per-record loop",
          "[explain]") {
  // The fixture's per_record_lock cell and its twin with kRounds rounds a record; the batched loop
  // prices a round at the fixture's (rounds:400 - rounds:0) / 400, the per-record loop under the
  // lock at kPerRecordRound (made up: the arithmetic is checked).
  constexpr unsigned kRounds = 10;
  constexpr double kPerRecordRound = 0.75;
  constexpr double kLoopRecordNs = 25;  // the per-record loop without rounds
  const std::vector<nlohmann::json> per_record_loop = {
      bench("work/injected/per_record_locked/rounds:0", kLoopRecordNs),
      bench("work/injected/per_record_locked/rounds:400", kLoopRecordNs + 400 * kPerRecordRound)};
  nlohmann::json m = matrix();
  nlohmann::json injected = m["cells"][2];
  REQUIRE(injected["strategy"] == "per_record_lock");
  injected["id"] = injected["id"].get<std::string>() + "/w10";
  injected["config"]["injected_work"] = kRounds;
  m["cells"].push_back(injected);
  const auto injected_component = [](const Explanation& e) {
    for (const ExplainRow& r : e.rows)
      if (r.injected_work == kRounds)
        for (const ComponentEstimate& c : r.components)
          if (c.name == "injected_work") return c;
    FAIL("no injected_work component");
    throw;
  };
  SECTION("with the per-record loop's results, its round") {
    const ComponentEstimate c =
        injected_component(explain_matrix(m, costs_with(per_record_loop), "m.json", "mb/"));
    CHECK(c.predicted_ns_per_record == Approx(kRounds * kPerRecordRound));
    CHECK(c.benchmark.find("work/injected/per_record_locked/rounds:400") != std::string::npos);
  }
  SECTION("results without it fall back to the batched loop's round") {
    const MicrobenchCosts fixture = costs();
    const double batched_round = (fixture.ns_per_item("work/injected/rounds:400") -
                                  fixture.ns_per_item("work/injected/rounds:0")) /
                                 400;
    const ComponentEstimate c = injected_component(explain_matrix(m, fixture, "m.json", "mb/"));
    CHECK(c.predicted_ns_per_record == Approx(kRounds * batched_round));
    CHECK(c.benchmark.find("per_record_locked") == std::string::npos);
  }
}

TEST_CASE(
    "explain: a path on one CPU is slowed by what the slots see on average, a job that joins "
    "every partition by the slowest",
    "[explain]") {
  // Made-up unit costs, the arithmetic is checked: slot 0 as fast beside slot 1 as alone, slot 1
  // slower. One CPU's path takes the slots' mean, a job that joins both the wall to wall.
  constexpr double kAlone = 10, kSlot0 = kAlone, kSlot1 = 1.5 * kAlone;
  const std::vector<nlohmann::json> slots = {
      bench("machine/parallel_engine/threads:1/slot:0/manual_time", kAlone),
      bench("machine/parallel_engine/threads:2/slot:0/manual_time", kSlot0),
      bench("machine/parallel_engine/threads:2/slot:1/manual_time", kSlot1)};
  const double one_cpu = 2 * kAlone / ((kSlot0 + kSlot1) / 2);
  const MicrobenchCosts fixture = costs();
  const double wall = fixture.ns_per_item("machine/parallel_engine/threads:1/real_time") /
                      fixture.ns_per_item("machine/parallel_engine/threads:2/real_time");
  REQUIRE(one_cpu != Approx(wall));  // the two rules must be told apart
  nlohmann::json m = matrix();
  m["cells"].push_back(lockless_p2_of(m));
  const Explanation e = explain_matrix(m, costs_with(slots), "m.json", "mb/");
  // adaptive p1: the reader's load (as in the reader/worker case) beside the workers' path.
  const double reader_load = 0.2 + 0.5 + 4 + 5;
  const ExplainRow& a = row_of(e, "adaptive");
  CHECK(component(a, "parallel_work") == Approx(reader_load * (2 / one_cpu - 1)));
  const auto beside =
      std::find_if(a.components.begin(), a.components.end(),
                   [](const ComponentEstimate& c) { return c.name == "parallel_work"; });
  REQUIRE(beside != a.components.end());
  CHECK_THAT(beside->benchmark, Catch::Contains(fmt::format("capacity {:.2f}", one_cpu)) &&
                                    Catch::Contains("slot:0-1"));
  // lockless_stp p2 waits for both partitions: the wall-to-wall capacity.
  CHECK(component(row_of(e, "lockless_stp"), "parallel_work") ==
        Approx(kBaseWallNs / kRecords * (1 / wall - 1)));
  SECTION("a slot the run did not measure: the wall-to-wall capacity for every path") {
    const Explanation w = explain_matrix(m, costs_with({slots[0], slots[1]}), "m.json", "mb/");
    CHECK(component(row_of(w, "adaptive"), "parallel_work") ==
          Approx(reader_load * (2 / wall - 1)));
  }
}

TEST_CASE(
    "explain: injected rounds run at their own parallel capacity, and the check takes the "
    "whole prediction's difference",
    "[explain]") {
  // lockless_stp p2 and its twin with 10 rounds a record (10 ns at the fixture's 1 ns a round),
  // over the fixture's 1000 ns a record of baseline work.
  nlohmann::json m = matrix();
  nlohmann::json p2 = lockless_p2_of(m);
  m["cells"].push_back(p2);
  p2["id"] = p2["id"].get<std::string>() + "/w10";
  p2["config"]["injected_work"] = 10;
  m["cells"].push_back(p2);
  const auto rows = [](const Explanation& e) {
    std::pair<const ExplainRow*, const ExplainRow*> twin_and_injected{nullptr, nullptr};
    for (const ExplainRow& r : e.rows)
      if (r.strategy == "lockless_stp")
        (r.injected_work ? twin_and_injected.second : twin_and_injected.first) = &r;
    REQUIRE(twin_and_injected.first != nullptr);
    REQUIRE(twin_and_injected.second != nullptr);
    return twin_and_injected;
  };
  SECTION("without machine/parallel_injected, all of it at the engine's capacity") {
    const Explanation e = explain_matrix(m, costs(), "m.json", "mb/");  // the rows point into it
    const auto [twin, injected] = rows(e);
    CHECK(component(*injected, "parallel_work") == Approx(1000 * (1 / 1.25 - 1)));
    CHECK(component(*injected, "injected_work") == Approx(10 / 1.25));
  }
  SECTION("with it, the capacities weighed by the injected share of the work") {
    // Made up: two threads of injected rounds get 2 CPUs, of engine work 1.25.
    const Explanation e =
        explain_matrix(m,
                       costs_with({bench("machine/parallel_injected/threads:1/real_time", 10),
                                   bench("machine/parallel_injected/threads:2/real_time", 5)}),
                       "m.json", "mb/");
    const auto [twin, injected] = rows(e);
    const double f = 10.0 / 1010;
    const double capacity = 1 / (f / 2 + (1 - f) / 1.25);
    CHECK(component(*injected, "parallel_work") == Approx(1000 * (1 / capacity - 1)));
    CHECK(component(*injected, "injected_work") == Approx(10 / capacity));
    CHECK_THAT(injected->critical_path, Catch::Contains(fmt::format("capacity {:.2f}", capacity)));
    // The twin has no injected rounds: the engine's capacity alone.
    CHECK(component(*twin, "parallel_work") == Approx(1000 * (1 / 1.25 - 1)));
    // The check compares the measured difference with the difference of the whole predictions:
    // the injected rounds, and the critical path's share of the baseline's work and of its 10
    // batches' clock reads (25 ns) and loop (20 ns), which the new capacity changes.
    REQUIRE(e.injected_checks.size() == 1);
    const double whole = injected->predicted_ns_per_record - twin->predicted_ns_per_record;
    CHECK(e.injected_checks[0].predicted_ns == Approx(whole));
    CHECK(whole ==
          Approx(10 / capacity + (1000 + 10 * (25 + 20) / 1000.0) * (1 / capacity - 1 / 1.25)));
    CHECK(whole != Approx(component(*injected, "injected_work")));
  }
}

TEST_CASE("explain: dropping a term makes the cells that need it fall short", "[explain]") {
  nlohmann::json m = matrix();
  // Pair the fixture's per_record_lock cell so that its overhead equals the fixture's prediction
  // (locks 20.02 + clock reads 50.25 + batches 0.2 + engine calls 1.98 ns a record).
  pair(m, "per_record_lock", 1.07245, 1.07, 1.075);
  const auto share_of = [](const Explanation& e, const std::string& group) {
    for (const StrategySummary& s : e.summary)
      if (s.group == group) return *s.explained_share;
    FAIL("no group " << group);
    return 0.0;
  };
  const Explanation whole = explain_matrix(m, costs(), "m.json", "mb/");
  CHECK(share_of(whole, "per_record_lock") == Approx(1.0));
  const Explanation no_locks = explain_matrix(m, costs(), "m.json", "mb/", {"locks"});
  CHECK(share_of(no_locks, "per_record_lock") == Approx((72.45 - 20.02) / 72.45));
  CHECK(component(row_of(no_locks, "per_record_lock"), "locks") == 0);
  // batch_lock needs almost none of it: its share barely moves.
  CHECK(share_of(no_locks, "batch_lock") ==
        Approx(share_of(whole, "batch_lock") * (1.17 - 0.22) / 1.17));
  CHECK_THROWS_WITH(explain_matrix(m, costs(), "m.json", "mb/", {"telepathy"}),
                    Catch::Contains("--drop telepathy") && Catch::Contains("locks"));
}

TEST_CASE("explain: clear errors", "[explain]") {
  SECTION("a missing benchmark is named") {
    MicrobenchCosts c;
    c.add_json({{"benchmarks", {bench("batch/clock_read", 25)}}}, "t");
    c.set_origin("/tmp/mb");
    try {
      explain_matrix(matrix(), c, "m.json", "/tmp/mb");
      FAIL("expected an error");
    } catch (const ExplainError& e) {
      CHECK_THAT(e.what(), Catch::Contains("/tmp/mb") &&
                               Catch::Contains("lock/mutex_lock_unlock/uncontended"));
    }
  }
  SECTION("a strategy the model has no rule for is named") {
    nlohmann::json m = matrix();
    m["cells"][1]["strategy"] = "telepathy";
    CHECK_THROWS_WITH(explain_matrix(m, costs(), "m.json", "mb/"),
                      Catch::Contains("no rule for strategy 'telepathy'"));
  }
  SECTION("no cell has a baseline") {
    CHECK_THROWS_WITH(explain_matrix(matrix(false), costs(), "m.json", "mb/"),
                      Catch::Contains("no baseline"));
  }
  SECTION("not a matrix result") {
    CHECK_THROWS_WITH(explain_matrix(nlohmann::json{{"format", "other"}}, costs(), "m.json", ""),
                      Catch::Contains("m.json") && Catch::Contains("streamgauge-matrix-result/1"));
  }
  SECTION("a missing microbench folder") {
    CHECK_THROWS_WITH(MicrobenchCosts::load_dir("/nonexistent/streamgauge-mb"),
                      Catch::Contains("/nonexistent/streamgauge-mb"));
  }
}

}  // namespace sg
