// The overhead model's arithmetic on a made-up matrix and made-up microbench results: counts x
// unit costs, the predicted sum, the unexplained remainder (negative included), percentages,
// the critical path of a reader/worker pair, and the errors a user can run into.
#include <catch2/catch.hpp>

#include "harness/analysis/overhead_model.h"

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
           {bench("lock/mutex_lock_unlock/uncontended", 20), bench("batch/clock_read", 25),
            bench("copy/record/share", 10), bench("batch/job_loop/batch:1", 50),
            bench("batch/direct_loop/batch:1", 30), bench("batch/engine_calls/per_record", 3),
            bench("batch/engine_calls/batched", 1), bench("queue/moodycamel/bulk/batch:256", 8),
            bench("thread/start_join/real_time", 20000),
            bench("thread/ping_pong/atomic_wait/real_time", 4000)}}};
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
  CHECK(component(r, "record_copies") == Approx(10.0));
  CHECK(component(r, "batches") == Approx(10.0 / 1000 * (50 - 30 - 10)));  // a difference
  CHECK(r.predicted_ns_per_record == Approx(0.22 + 0.75 + 10 + 0.1));
  CHECK(r.unexplained_ns_per_record == Approx(20 - 11.07));
  REQUIRE(r.explained_pct);
  CHECK(*r.explained_pct == Approx(100 * 11.07 / 20));
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
  CHECK(r.predicted_ns_per_record == Approx(20.02 + 50.25 + 10 + 0.1 + 1.98));
  CHECK(r.unexplained_ns_per_record == Approx(50 - 82.35));
  CHECK(r.unexplained_ns_per_record < 0);
  CHECK(*r.explained_pct == Approx(100 * 82.35 / 50));

  const nlohmann::json j = e.to_json();
  CHECK(j["format"] == "streamgauge-explain/1");
  CHECK(j["matrix"] == "m.json");
  CHECK(j["microbench"] == "mb/");
  CHECK_FALSE(j["method"].get<std::string>().empty());
  bool found = false;
  for (const nlohmann::json& row : j["rows"]) {
    if (row["strategy"] != "per_record_lock") continue;
    found = true;
    CHECK(row["unexplained_ns_per_record"].get<double>() == Approx(-32.35));
    CHECK(row["batch_size"] == 100);
    CHECK(row["components"][0]["benchmark"] == "lock/mutex_lock_unlock/uncontended");
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
  CHECK(component(r, "queue_pop") == Approx(4.0));  // half of 8 ns per item, bulk 100 -> 256
  CHECK(component(r, "locks") == Approx(0.22));
  CHECK(component(r, "clock_reads") == Approx(2 * 10.0 / 1000 * 25));
  CHECK(component(r, "threads") == Approx(2 * 20000.0 / 1000));  // reader + one worker
  CHECK(component(r, "handoffs") == Approx(5 * 2000.0 / 1000));  // half a round trip each
  CHECK(r.predicted_ns_per_record == Approx(4 + 0.22 + 0.5 + 40 + 10));
  CHECK(r.unexplained_ns_per_record == Approx(60 - 54.72));
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
                 {"cpu_time", 30}}}}},
             "t");
  CHECK(c.ns_per_item("cpu_timed") == Approx(60));
  CHECK(c.ns_per_item("wall_timed/real_time") == Approx(60));
}

TEST_CASE("explain: with phase timing off there are no clock reads to predict", "[explain]") {
  nlohmann::json m = matrix();
  for (nlohmann::json& c : m["cells"]) c["config"]["phase_timing"] = false;
  const Explanation e = explain_matrix(m, costs(), "m.json", "mb/");
  const ExplainRow& r = row_of(e, "batch_lock");
  CHECK_FALSE(r.phase_timing);
  CHECK(component(r, "clock_reads") == 0);
  CHECK(r.predicted_ns_per_record == Approx(0.22 + 10 + 0.1));
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
