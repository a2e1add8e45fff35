// The component table on its own: which benchmark prices a component for a given cell, how a
// difference and a scale are priced and named, and the medians read_cell takes of the samples.
#include <catch2/catch.hpp>

#include <fstream>
#include <optional>

#include <fmt/format.h>

#include "harness/analysis/overhead_components.h"
#include "temp_dir.h"

namespace sg::overhead {
namespace {

nlohmann::json bench(const std::string& name, double ns) {
  return {{"name", name}, {"items_per_second", 1e9 / ns}};
}

MicrobenchCosts costs() {
  MicrobenchCosts c;
  c.add_json({{"benchmarks",
               {bench("lock/shared_mutex_exclusive/contended/real_time/threads:2", 80),
                bench("queue/moodycamel/bulk/batch:16", 12), bench("batch/clock_read", 25),
                bench("batch/output_vector/fresh/batch:100", 40),
                bench("batch/output_vector/reuse/batch:100", 15)}}},
             "t");
  return c;
}

// per_record_lock over the sql engine, on s2_group_by.
CellCounts per_record_lock_sql_cell() {
  CellCounts c;
  c.strategy = "per_record_lock";
  c.scenario = "s2_group_by";
  c.engine = "sql";
  return c;
}

// Made-up per-record costs of the engine-call loops, not measurements: each loop costs the one
// before it plus its difference, so the differences are what the model must find.
constexpr double kPassBatched = 3, kPassCalls = 1, kPassLocks = 5, kPassSharedLocks = 7;
constexpr double kSqlBatched = 60, kSqlCalls = 2, kSqlLocks = 8;

// The passthrough engine's engine-call loops and, with `sql`, s2_group_by's own.
nlohmann::json engine_call_loops(bool sql) {
  constexpr double kPassPerRecord = kPassBatched + kPassCalls;
  nlohmann::json list = {
      bench("batch/engine_calls/per_record_locked/mutex", kPassPerRecord + kPassLocks),
      bench("batch/engine_calls/per_record_locked/shared_mutex", kPassPerRecord + kPassSharedLocks),
      bench("batch/engine_calls/per_record", kPassPerRecord),
      bench("batch/engine_calls/batched", kPassBatched)};
  constexpr double kSqlPerRecord = kSqlBatched + kSqlCalls;
  if (sql)
    for (const auto& [name, ns] : {std::pair{"per_record_locked/mutex", kSqlPerRecord + kSqlLocks},
                                   {"per_record", kSqlPerRecord},
                                   {"batched", kSqlBatched}})
      list.push_back(bench(fmt::format("batch/engine_calls/sql/{}/s2_group_by", name), ns));
  return list;
}

}  // namespace

TEST_CASE("explain components: the cell picks the benchmark, scales and differences are named",
          "[explain]") {
  CellCounts c;
  c.strategy = "adaptive";
  c.partitions = 4;
  c.lock = "rwlock";
  c.queue = "moodycamel";
  c.push_calls = 100;
  c.items_pushed = 1200;  // 12 per call: the nearest registered bulk size is 16
  c.batches = 10;
  c.rows_produced = 1000;  // 100 rows per output batch
  const ComponentEstimate locks = price_component("locks", 500, c, costs(), 1000);
  CHECK(locks.benchmark == "lock/shared_mutex_exclusive/contended/real_time/threads:2");
  CHECK(locks.count_per_record == Approx(0.5));
  CHECK(locks.predicted_ns_per_record == Approx(40));
  const ComponentEstimate push = price_component("queue_push", 1200, c, costs(), 1000);
  CHECK(push.benchmark == "0.5 x (queue/moodycamel/bulk/batch:16)");
  CHECK(push.unit_cost_ns == Approx(6));
  // Results from before the cross-core benchmark: the growth on one thread.
  const ComponentEstimate fresh = price_component("fresh_batches", 10, c, costs(), 1000);
  CHECK(fresh.benchmark ==
        "batch/output_vector/fresh/batch:100 - batch/output_vector/reuse/batch:100");
  CHECK(fresh.unit_cost_ns == Approx(25));
  // With it: the batch freed on the other core, less its two clock reads and the reuse.
  constexpr double kFreedElsewhere = 90;  // any figure above the two it is taken from
  MicrobenchCosts cross_core = costs();
  cross_core.add_json({{"benchmarks",
                        {bench("batch/output_vector/fresh_freed_elsewhere/batch:100/manual_time",
                               kFreedElsewhere)}}},
                      "u");
  const ComponentEstimate freed_elsewhere =
      price_component("fresh_batches", 10, c, cross_core, 1000);
  CHECK(freed_elsewhere.benchmark ==
        "batch/output_vector/fresh_freed_elsewhere/batch:100/manual_time - 2 x batch/clock_read - "
        "batch/output_vector/reuse/batch:100");
  CHECK(freed_elsewhere.unit_cost_ns ==
        Approx(kFreedElsewhere - 2 * costs().ns_per_item("batch/clock_read") -
               costs().ns_per_item("batch/output_vector/reuse/batch:100")));
  c.phase_timing = false;
  CHECK(price_component("clock_reads", 30, c, costs(), 1000).predicted_ns_per_record == 0);
  CHECK_THROWS_AS(price_component("no_such_component", 1, c, costs(), 1000), std::logic_error);
}

TEST_CASE(
    "explain components: a reuse is priced over the scenario's own records where measured, "
    "else over s0's",
    "[explain]") {
  CellCounts c;
  c.strategy = "adaptive";
  c.scenario = "s2_group_by";
  auto s0 = [](const char* variant) {
    return fmt::format("records/{}/make/batch:1000/manual_time", variant);
  };
  auto s2 = [](const char* variant) {
    return fmt::format("records/{}/make/s2_group_by/batch:1000/manual_time", variant);
  };
  // The two make sides at `frees` and `same` ns (a side at 0 ns is left out), over s0's records
  // (75 and 60) and, where given, s2's.
  auto reuse = [&](double frees, double same) {
    nlohmann::json list = {bench(s0("other_reads_frees"), 75), bench(s0("same_thread"), 60)};
    if (frees > 0) list.push_back(bench(s2("other_reads_frees"), frees));
    if (same > 0) list.push_back(bench(s2("same_thread"), same));
    MicrobenchCosts costs;
    costs.add_json({{"benchmarks", list}}, "t");
    return price_component("reused_blocks", 1000, c, costs, 1000);
  };
  const ComponentEstimate old = reuse(0, 0);
  CHECK(old.unit_cost_ns == Approx(15));
  CHECK(old.benchmark == s0("other_reads_frees") + " - " + s0("same_thread"));
  const ComponentEstimate own = reuse(90, 44);
  CHECK(own.unit_cost_ns == Approx(46));
  CHECK(own.benchmark == s2("other_reads_frees") + " - " + s2("same_thread"));
  // Half a pair is not a measurement: s0's figures again.
  CHECK(reuse(0, 44).unit_cost_ns == Approx(15));
}

TEST_CASE("explain components: routing over records as the cell's reader holds them", "[explain]") {
  CellCounts c;
  c.strategy = "adaptive";
  c.scenario = "s2_group_by";
  c.partitions = 2;
  const std::string lent = "routing/records/s2_group_by/real_time";
  const std::string decoded = "routing/decoded/s2_group_by/manual_time";
  // Made-up per-record costs (inputs, not timings), apart so that the choice shows.
  const double made_up_lent = 50, made_up_decoded = 8;
  MicrobenchCosts both;
  both.add_json({{"benchmarks", {bench(lent, made_up_lent), bench(decoded, made_up_decoded)}}},
                "t");
  MicrobenchCosts older;
  older.add_json({{"benchmarks", {bench(lent, made_up_lent)}}}, "t");
  SECTION("lent: the million records made beforehand, first touched by the routing") {
    const ComponentEstimate e = price_component("routing", 1000, c, both, 1000);
    CHECK(e.benchmark == lent);
    CHECK(e.unit_cost_ns == Approx(both.ns_per_item(lent)));
  }
  SECTION("materialized: each batch just decoded; older results fall back to the lent records") {
    c.source = "materialized";
    const ComponentEstimate e = price_component("routing", 1000, c, both, 1000);
    CHECK(e.benchmark == decoded);
    CHECK(e.unit_cost_ns == Approx(both.ns_per_item(decoded)));
    const ComponentEstimate fallback = price_component("routing", 1000, c, older, 1000);
    CHECK(fallback.benchmark == lent);
    CHECK(fallback.unit_cost_ns == Approx(older.ns_per_item(lent)));
  }
}

TEST_CASE("explain components: a reuse is priced at the cell's batch size where measured",
          "[explain]") {
  CellCounts c;
  c.strategy = "adaptive";
  c.scenario = "s0_pure_select";
  c.batch_size = 100;
  auto make = [](const char* variant, size_t batch) {
    return fmt::format("records/{}/make/s0_pure_select/batch:{}/manual_time", variant, batch);
  };
  // Made-up make sides (inputs, not timings): at batch 1000 and, where given, at the cell's 100.
  const double made_up_frees_1000 = 50, made_up_same_1000 = 30;
  const double made_up_frees_100 = 90, made_up_same_100 = 25;
  auto costs_with = [&](bool at_100) {
    nlohmann::json list = {bench(make("other_reads_frees", 1000), made_up_frees_1000),
                           bench(make("same_thread", 1000), made_up_same_1000)};
    if (at_100) {
      list.push_back(bench(make("other_reads_frees", 100), made_up_frees_100));
      list.push_back(bench(make("same_thread", 100), made_up_same_100));
    }
    MicrobenchCosts costs;
    costs.add_json({{"benchmarks", list}}, "t");
    return costs;
  };
  // The expected price is the difference of the two sides as the costs read them back.
  auto difference_at = [&](const MicrobenchCosts& costs, size_t batch) {
    return costs.ns_per_item(make("other_reads_frees", batch)) -
           costs.ns_per_item(make("same_thread", batch));
  };
  const MicrobenchCosts with_100 = costs_with(true);
  const ComponentEstimate at_100 = price_component("reused_blocks", 1000, c, with_100, 1000);
  CHECK(at_100.unit_cost_ns == Approx(difference_at(with_100, 100)));
  CHECK(at_100.benchmark == make("other_reads_frees", 100) + " - " + make("same_thread", 100));
  CHECK(difference_at(with_100, 100) != Approx(difference_at(with_100, 1000)));
  // Results without the cell's batch size: the scenario's figure at batch 1000.
  const MicrobenchCosts without_100 = costs_with(false);
  const ComponentEstimate at_1000 = price_component("reused_blocks", 1000, c, without_100, 1000);
  CHECK(at_1000.unit_cost_ns == Approx(difference_at(without_100, 1000)));
  CHECK(at_1000.benchmark == make("other_reads_frees", 1000) + " - " + make("same_thread", 1000));
}

TEST_CASE(
    "explain components: a reuse at batch 1000 is priced with the other core freeing at once "
    "where measured, else taking turns",
    "[explain]") {
  CellCounts c;
  c.strategy = "streaming";
  c.scenario = "s2_group_by";
  c.batch_size = 1000;
  auto make = [](const char* variant) {
    return fmt::format("records/{}/make/s2_group_by/batch:1000/manual_time", variant);
  };
  // Made-up make sides (inputs, not timings), apart so that the choice shows.
  const double made_up_same = 20, made_up_turns = 23, made_up_at_once = 29;
  nlohmann::json older = {bench(make("other_reads_frees"), made_up_turns),
                          bench(make("same_thread"), made_up_same)};
  nlohmann::json newer = older;
  newer.push_back(bench(make("overlapped_frees"), made_up_at_once));
  MicrobenchCosts with_overlap, without;
  with_overlap.add_json({{"benchmarks", newer}}, "t");
  without.add_json({{"benchmarks", older}}, "t");
  auto difference = [&](const MicrobenchCosts& costs, const char* variant) {
    return costs.ns_per_item(make(variant)) - costs.ns_per_item(make("same_thread"));
  };
  const ComponentEstimate at_once = price_component("reused_blocks", 1000, c, with_overlap, 1000);
  CHECK(at_once.benchmark == make("overlapped_frees") + " - " + make("same_thread"));
  CHECK(at_once.unit_cost_ns == Approx(difference(with_overlap, "overlapped_frees")));
  const ComponentEstimate turns = price_component("reused_blocks", 1000, c, without, 1000);
  CHECK(turns.benchmark == make("other_reads_frees") + " - " + make("same_thread"));
  CHECK(turns.unit_cost_ns == Approx(difference(without, "other_reads_frees")));
  CHECK(at_once.unit_cost_ns != Approx(turns.unit_cost_ns));
  // A cell at another batch size takes turns even where the overlapped figure exists: it is
  // measured at batch 1000 only.
  c.batch_size = 100;
  CHECK(price_component("reused_blocks", 1000, c, with_overlap, 1000).benchmark ==
        make("other_reads_frees") + " - " + make("same_thread"));
}

TEST_CASE(
    "explain components: per_record_lock over the sql engine is priced by its scenario's loops, "
    "over passthrough (or without them) by the passthrough engine's",
    "[explain]") {
  CellCounts c = per_record_lock_sql_cell();
  MicrobenchCosts passthrough_only;
  passthrough_only.add_json({{"benchmarks", engine_call_loops(false)}}, "t");
  MicrobenchCosts with_sql;
  with_sql.add_json({{"benchmarks", engine_call_loops(true)}}, "t");

  CHECK(price_component("locks", 1000, c, with_sql, 1000).unit_cost_ns == Approx(kSqlLocks));
  CHECK(price_component("engine_calls", 1000, c, with_sql, 1000).unit_cost_ns == Approx(kSqlCalls));
  CHECK(price_component("engine_calls", 1000, c, with_sql, 1000).benchmark ==
        "batch/engine_calls/sql/per_record/s2_group_by - "
        "batch/engine_calls/sql/batched/s2_group_by");
  // Results from before the per-scenario loops: the passthrough engine's.
  CHECK(price_component("locks", 1000, c, passthrough_only, 1000).unit_cost_ns ==
        Approx(kPassLocks));
  CHECK(price_component("engine_calls", 1000, c, passthrough_only, 1000).unit_cost_ns ==
        Approx(kPassCalls));
  // The passthrough engine's cells, and an rwlock's lock, keep the passthrough loops.
  c.engine = "passthrough";
  CHECK(price_component("engine_calls", 1000, c, with_sql, 1000).unit_cost_ns ==
        Approx(kPassCalls));
  CHECK(price_component("locks", 1000, c, with_sql, 1000).unit_cost_ns == Approx(kPassLocks));
  c.engine = "sql";
  c.lock = "rwlock";  // its loop is timed over the passthrough engine only
  CHECK(price_component("locks", 1000, c, with_sql, 1000).benchmark ==
        "batch/engine_calls/per_record_locked/shared_mutex - batch/engine_calls/per_record");
}

TEST_CASE(
    "explain components: per_record_lock's sql cells take the loops paired within an iteration "
    "first, their counters' median over the repetitions",
    "[explain]") {
  CellCounts c = per_record_lock_sql_cell();
  c.lock = "mutex";
  const std::string paired = "batch/engine_calls/sql/paired/s2_group_by";
  // Made-up counters, not measurements, chosen unlike the unpaired loops' differences so that the
  // pick shows; the outlier is any figure above both.
  constexpr double kLocks = kSqlLocks - 2, kCalls = kSqlCalls - 0.5, kOutlier = 5 * kSqlLocks;
  constexpr double kProbe = 1;  // any line probe: it must not be read as a cost
  auto repetition = [&](double locks, double calls) {
    nlohmann::json b = bench(paired, kSqlBatched);
    b["run_name"] = paired;
    b["locks_ns"] = locks;
    b["calls_ns"] = calls;
    b["line_rt_ns"] = kProbe;
    return b;
  };
  nlohmann::json list = engine_call_loops(true);
  for (const nlohmann::json& r : {repetition(kLocks, kCalls), repetition(kOutlier, kCalls),
                                  repetition(kLocks - 1, kCalls + 1)})
    list.push_back(r);
  MicrobenchCosts costs;
  costs.add_json({{"benchmarks", list}}, "t");
  const ComponentEstimate locks = price_component("locks", 1000, c, costs, 1000);
  CHECK(locks.benchmark == paired + ":locks_ns");
  CHECK(locks.unit_cost_ns == Approx(kLocks));  // the median of the three repetitions
  const ComponentEstimate calls = price_component("engine_calls", 1000, c, costs, 1000);
  CHECK(calls.benchmark == paired + ":calls_ns");
  CHECK(calls.unit_cost_ns == Approx(kCalls));
  CHECK_FALSE(costs.has(paired + ":line_rt_ns"));

  // The repetitions' median aggregate wins over the iterations, as for items_per_second; the
  // other aggregates are not costs.
  nlohmann::json median = repetition(kLocks + 2, kCalls);
  median["run_type"] = "aggregate";
  median["aggregate_name"] = "median";
  nlohmann::json mean = repetition(kOutlier, kOutlier);
  mean["run_type"] = "aggregate";
  mean["aggregate_name"] = "mean";
  list.push_back(median);
  list.push_back(mean);
  MicrobenchCosts with_aggregates;
  with_aggregates.add_json({{"benchmarks", list}}, "t");
  CHECK(price_component("locks", 1000, c, with_aggregates, 1000).unit_cost_ns ==
        Approx(kLocks + 2));
}

TEST_CASE(
    "explain components: a per-scenario benchmark with one repetition in the regime gives way to "
    "its fallback measured there",
    "[explain]") {
  CellCounts c;
  c.strategy = "adaptive";
  c.scenario = "s0_pure_select";
  auto probed = [](const std::string& name, double ns, double line_rt_ns) {
    nlohmann::json b = bench(name, ns);
    b["line_rt_ns"] = line_rt_ns;
    return b;
  };
  const std::string frees = "records/other_reads_frees/make/s0_pure_select/batch:1000/manual_time";
  const std::string same = "records/same_thread/make/s0_pure_select/batch:1000/manual_time";
  const std::string s0_frees = "records/other_reads_frees/make/batch:1000/manual_time";
  const std::string s0_same = "records/same_thread/make/batch:1000/manual_time";
  // Made-up repetitions: the scenario's own make sides have one repetition probed in the band
  // (62 ns) but timed like the far band's, the rest probed at 240 ns; s0's are all in the band.
  nlohmann::json list = {probed(frees, 103, 62), probed(frees, 196, 240),  probed(frees, 197, 240),
                         bench(same, 24),        probed(s0_frees, 57, 61), probed(s0_frees, 58, 62),
                         bench(s0_same, 23)};
  MicrobenchCosts costs;
  costs.add_json({{"benchmarks", list}}, "t");
  std::vector<std::string> notes;
  const MicrobenchCosts in = costs.in_regime(43, 96, notes);
  CHECK_FALSE(in.in_regime_measured(frees));
  CHECK(in.in_regime_measured(s0_frees));
  REQUIRE(notes.size() == 1);
  CHECK_THAT(notes[0], Catch::Contains(frees + ": only 1 of its 3 repetitions ran at"));
  CHECK(in.ns_per_item(frees) == Approx(103));  // the one inside, where nothing replaces it
  const ComponentEstimate reuse = price_component("reused_blocks", 1000, c, in, 1000);
  CHECK(reuse.benchmark == s0_frees + " - " + s0_same);
  CHECK(reuse.unit_cost_ns == Approx(34.5));
  // Outside any regime (no in_regime), the scenario's own figures stand.
  CHECK(price_component("reused_blocks", 1000, c, costs, 1000).unit_cost_ns == Approx(196 - 24));
}

TEST_CASE("explain components: a repetition is in the regime only when both its probes are",
          "[explain]") {
  const std::string name = "crossing/ping_pong/batch:16/real_time";
  auto probed = [&](double ns, double before, std::optional<double> after) {
    nlohmann::json b = bench(name, ns);
    b["line_rt_ns"] = before;
    if (after) b["line_rt_after_ns"] = *after;
    return b;
  };
  // Made-up repetitions: the host moved the vCPUs during the third (in the band before, far
  // after); the fourth is from a result without the probe after.
  nlohmann::json list = {probed(10, 62, 63), probed(11, 61, 64), probed(30, 62, 240),
                         probed(12, 63, std::nullopt), probed(31, 240, 241)};
  MicrobenchCosts costs;
  costs.add_json({{"benchmarks", list}}, "t");
  std::vector<std::string> notes;
  const MicrobenchCosts in = costs.in_regime(43, 96, notes);
  CHECK(in.in_regime_measured(name));
  CHECK(in.ns_per_item(name) == Approx(11));  // the median of 10, 11 and 12
  CHECK(notes.empty());
  // With only the moved one and the far one left, none is inside: the note names both probes'
  // range.
  nlohmann::json moved = {probed(30, 62, 240), probed(31, 240, 241)};
  MicrobenchCosts few;
  few.add_json({{"benchmarks", moved}}, "t");
  const MicrobenchCosts none = few.in_regime(43, 96, notes);
  CHECK_FALSE(none.in_regime_measured(name));
  REQUIRE(notes.size() == 1);
  CHECK_THAT(notes[0], Catch::Contains("none of its 2 repetitions") &&
                           Catch::Contains("they ran at 62-241 ns"));
}

TEST_CASE("explain components: a cell's counts are the medians of its samples", "[explain]") {
  auto sample = [](double wall, double waits, double engine_ns) {
    return nlohmann::json{{"wall_ns", wall},
                          {"batches", 10},
                          {"queue", {{"consumer_waits", waits}}},
                          {"threads", {{{"phase_ns", {{"engine", engine_ns}}}}}}};
  };
  const nlohmann::json cell = {
      {"id", "s/adaptive"},
      {"scenario", "s"},
      {"strategy", "adaptive"},
      {"records", 1000},
      {"config", {{"engine", "e"}, {"partitions", 2}}},
      {"samples", {sample(300, 1, 50), sample(100, 9, 70), sample(200, 5, 60)}}};
  const CellCounts c = read_cell(cell);
  CHECK(c.wall_ns == 200);
  CHECK(c.consumer_waits == 5);
  CHECK(c.engine_phase_ns == 60);
  CHECK(c.producer_waits == 0);  // absent counters are 0
  CHECK(c.partitions == 2);
  CHECK(c.queue == "moodycamel");  // absent configuration takes the defaults
  CHECK(c.batch_size == 1);
  CHECK(c.source == "lent");  // results from before the source option read lent records
  nlohmann::json materialized = cell;
  materialized["config"]["source"] = "materialized";
  CHECK(read_cell(materialized).source == "materialized");
}

TEST_CASE(
    "explain components: a phase is its share of the instrumented pass, less the "
    "instrumentation, times the timed wall",
    "[explain]") {
  // The instrumented passes ran longer than the timed ones (a slowed host, or the meter's own
  // reads); within what is left of each once its instrumentation is taken out, the read and
  // engine phases hold fixed shares. Times in any unit.
  constexpr double kTimed = 1;
  constexpr double kSlower = 1.5;
  constexpr double kRead = 0.2, kEngine = 0.6;
  auto instrumented = [&](double instrumentation_share) {
    const double wall = kSlower * kTimed;
    const double work = wall * (1 - instrumentation_share);
    return nlohmann::json{{"wall_ns", wall},
                          {"threads",
                           {{{"phase_ns",
                              {{"read", kRead * work},
                               {"engine", kEngine * work},
                               {"instrumentation", wall - work}}}}}}};
  };
  nlohmann::json cell = {
      {"id", "s/direct"},
      {"scenario", "s"},
      {"strategy", "direct"},
      {"records", 1000},
      {"config", {{"engine", "e"}}},
      {"samples", {{{"wall_ns", kTimed}}, {{"wall_ns", kTimed}}, {{"wall_ns", kTimed}}}},
      {"instrumented_samples", {instrumented(0), instrumented(0)}}};
  CellCounts c = read_cell(cell);
  CHECK(c.wall_ns == kTimed);
  CHECK(c.read_phase_ns == Approx(kRead * kTimed));  // not kRead * kSlower: the timed split
  CHECK(c.engine_phase_ns == Approx(kEngine * kTimed));
  // A third of each pass in the meter's reads: the shares are of the rest.
  cell["instrumented_samples"] = {instrumented(1.0 / 3), instrumented(1.0 / 3)};
  c = read_cell(cell);
  CHECK(c.read_phase_ns == Approx(kRead * kTimed));
  CHECK(c.engine_phase_ns == Approx(kEngine * kTimed));
  // A pass with no wall (no sample measured it) gives no phase rather than a division by 0.
  cell["instrumented_samples"] = {
      nlohmann::json{{"wall_ns", 0}, {"threads", {{{"phase_ns", {{"read", kRead}}}}}}}};
  CHECK(read_cell(cell).read_phase_ns == 0);
}

TEST_CASE(
    "explain components: a difference whose probed side was read twice is taken within each "
    "reading",
    "[explain]") {
  CellCounts c;
  c.strategy = "adaptive";
  c.scenario = "s2_group_by";
  const std::string frees = "records/other_reads_frees/make/s2_group_by/batch:1000/manual_time";
  const std::string same = "records/same_thread/make/s2_group_by/batch:1000/manual_time";
  auto probed = [](const std::string& name, double ns) {
    nlohmann::json b = bench(name, ns);
    b["line_rt_ns"] = 60;
    b["line_rt_after_ns"] = 61;
    return b;
  };
  // Made-up readings, not measurements: the probed side costs kDiff more than its twin in each
  // reading, and the later reading moved both sides up by kShift. Pooled over both readings, the
  // probed side less its twin's later reading would be kDiff - kShift / 2.
  constexpr double kSame = 100, kDiff = 50, kShift = 50;
  auto reading = [&](double shift, bool with_probes) {
    const double frees_ns = kSame + kDiff + shift;
    return nlohmann::json{{"benchmarks",
                           {with_probes ? probed(frees, frees_ns) : bench(frees, frees_ns),
                            with_probes ? probed(frees, frees_ns) : bench(frees, frees_ns),
                            bench(same, kSame + shift)}}};
  };
  sg::test::TempDir dir;
  std::ofstream(dir.file("bench_record_crossing.json")) << reading(0, true);
  MicrobenchCosts costs;
  costs.add_json(reading(kShift, true), "t");
  costs.add_earlier_reading(dir.file(""));
  std::vector<std::string> notes;
  const MicrobenchCosts in = costs.in_regime(40, 90, notes);
  // One benchmark alone is still priced over both readings, as before.
  CHECK(in.ns_per_item(frees) == Approx(kSame + kDiff + kShift / 2));
  CHECK(in.probed_twice(frees));
  CHECK(price_component("reused_blocks", 1000, c, in, 1000).unit_cost_ns == Approx(kDiff));
  // Read once (no earlier reading), the difference is the one reading's.
  MicrobenchCosts once;
  once.add_json(reading(kShift, true), "t");
  const MicrobenchCosts once_in = once.in_regime(40, 90, notes);
  CHECK_FALSE(once_in.probed_twice(frees));
  CHECK(price_component("reused_blocks", 1000, c, once_in, 1000).unit_cost_ns == Approx(kDiff));
  // An earlier reading whose probed side has no probes is no reading of the difference: the later
  // reading's figures alone.
  sg::test::TempDir far;
  std::ofstream(far.file("bench_record_crossing.json")) << reading(0, false);
  MicrobenchCosts unprobed_earlier;
  unprobed_earlier.add_json(reading(kShift, true), "t");
  unprobed_earlier.add_earlier_reading(far.file(""));
  const MicrobenchCosts far_in = unprobed_earlier.in_regime(40, 90, notes);
  CHECK_FALSE(far_in.probed_twice(frees));
  CHECK(price_component("reused_blocks", 1000, c, far_in, 1000).unit_cost_ns == Approx(kDiff));
}

}  // namespace sg::overhead
