#include <catch2/catch.hpp>

#include <map>
#include <sstream>

#include <fmt/format.h>

#include "engine/query.h"
#include "harness/job/thread_placement.h"
#include "harness/matrix/matrix.h"
#include "harness/matrix/matrix_runner.h"
#include "harness/matrix/result_output.h"
#include "id_key_scenario.h"
#include "peers/peer_test_support.h"

using namespace sg;

namespace {

std::vector<Scenario> shipped() {
  return load_scenarios(std::filesystem::path(STREAMGAUGE_SOURCE_DIR) / "scenarios");
}

std::vector<std::shared_ptr<const CompiledQuery>> compile_all(const std::vector<Scenario>& all) {
  std::vector<std::shared_ptr<const CompiledQuery>> q;
  for (const Scenario& s : all)
    q.push_back(CompiledQuery::compile(s.sql, Generator(s.generator).schema()));
  return q;
}

Scenario tiny_scenario(const std::string& name, const std::string& sql) {
  return sg::test::id_key_scenario(name, sql, 300, 11, 7);
}

// A matrix whose file is `body` (after name and scenarios), run over one tiny scenario. The
// result's cells point at the scenario, so both are kept (moving a vector keeps its elements).
struct TinyRun {
  std::vector<Scenario> scenarios;
  MatrixResult result;
};
TinyRun run_tiny(const std::string& name, const std::string& sql, const std::string& body) {
  TinyRun run{{tiny_scenario(name, sql)}, {}};
  // cell_budget_s=0: paired cells stop at `repetitions` pairs, as these tests count them.
  MatrixSpec spec = parse_matrix("name='m'\nscenarios=['*']\ncell_budget_s=0\n" + body, "m.toml",
                                 run.scenarios, false);
  run.result = run_matrix(spec, run.scenarios, capture_environment(0, nullptr), {});
  return run;
}

}  // namespace

TEST_CASE("the shipped matrix files parse, and --quick applies the [quick] table") {
  auto all = shipped();
  auto dir = std::filesystem::path(STREAMGAUGE_SOURCE_DIR) / "scenarios" / "matrix";
  MatrixSpec def = load_matrix(dir / "default.toml", all, false);
  REQUIRE(def.scenarios.size() == all.size());
  REQUIRE(def.repetitions == 5);
  REQUIRE(def.records == std::vector<uint64_t>{0});
  REQUIRE(def.record_sweep);
  REQUIRE(def.target_overhead_half_width > 0);  // the overhead model's cells (overhead_model.h)
  MatrixSpec quick = load_matrix(dir / "default.toml", all, true);
  REQUIRE(quick.quick);
  REQUIRE(quick.records == std::vector<uint64_t>{20000});
  REQUIRE_FALSE(quick.record_sweep);
  REQUIRE(quick.repetitions == 2);
  REQUIRE(quick.target_overhead_half_width == 0);  // quick stays quick
  REQUIRE_NOTHROW(load_matrix(dir / "quick.toml", all, true));
}

TEST_CASE("matrix errors name the key and what is known") {
  auto all = shipped();
  REQUIRE_THROWS_WITH(
      parse_matrix("name='m'\nscenarios=['nope']\nstrategies=['direct']\n", "m.toml", all, false),
      Catch::Contains("unknown scenario 'nope'") && Catch::Contains("s0_pure_select"));
  REQUIRE_THROWS_WITH(
      parse_matrix("name='m'\nscenarios=['*']\nstrategies=['fast']\n", "m.toml", all, false),
      Catch::Contains("unknown strategy 'fast'") && Catch::Contains("direct"));
  REQUIRE_THROWS_WITH(parse_matrix("name='m'\nscenarios=['*']\nstrategies=['*']\nbatch_sizes=[0]\n",
                                   "m.toml", all, false),
                      Catch::Contains("batch_sizes") && Catch::Contains("positive"));
  REQUIRE_THROWS_WITH(parse_matrix("name='m'\nscenarios=['*']\nstrategies=['*']\nqueues=['fifo']\n",
                                   "m.toml", all, false),
                      Catch::Contains("unknown queue 'fifo'"));
  REQUIRE_THROWS_WITH(parse_matrix("name='m'\nscenarios=['*']\nstrategies=['*']\nrepetitons=3\n",
                                   "m.toml", all, false),
                      Catch::Contains("m.toml:4:1") && Catch::Contains("unknown key"));
  REQUIRE_THROWS_WITH(
      parse_matrix("name='m'\nscenarios=['*']\nstrategies=['*']\ntarget_overhead_half_width=1\n",
                   "m.toml", all, false),
      Catch::Contains("target_overhead_half_width") && Catch::Contains("below 1"));
}

TEST_CASE("a strategy gets cells only along the settings it reads, rejected ones stay skipped") {
  std::vector<Scenario> all = {
      tiny_scenario("stateless", "SELECT id FROM t WHERE k > 2"),
      tiny_scenario("whole_stream",
                    "SELECT id, SUM(id) OVER (ROWS WINDOW BUFFER 3 ROWS) AS s FROM t")};
  MatrixSpec spec = parse_matrix(
      "name='m'\nscenarios=['*']\nstrategies=['*']\npartitions=[2]\nqueues=['moodycamel','mutex']"
      "\n",
      "m.toml", all, false);
  std::vector<Cell> cells = expand_matrix(spec, all, compile_all(all));
  std::map<std::string, const Cell*> by_id;
  for (const Cell& c : cells) by_id[c.id()] = &c;

  // Strategies that ignore partitions run on one, the baseline among them; no p2 cell for them.
  REQUIRE_FALSE(by_id.at("stateless/direct/sql/b1000/p1/n300")->skip_reason);
  REQUIRE_FALSE(by_id.at("stateless/batch_lock/sql/b1000/p1/n300")->skip_reason);
  REQUIRE_FALSE(by_id.count("stateless/direct/sql/b1000/p2/n300"));
  REQUIRE_FALSE(by_id.count("stateless/batch_lock/sql/b1000/p2/n300"));
  // Only adaptive reads the queue: it gets a cell per queue, the others none that names one.
  REQUIRE_FALSE(by_id.at("stateless/adaptive/sql/b1000/p2/n300/qmutex")->skip_reason);
  for (const Cell& c : cells)
    if (c.runner_name != "adaptive") REQUIRE(c.id().find("/q") == std::string::npos);
  // A whole-stream window cannot be split: the strategy's own reason, for a setting it reads.
  REQUIRE(*by_id.at("whole_stream/lockless_stp/sql/b1000/p2/n300")->skip_reason ==
          "lockless_stp: query needs a single partition (ROWS window without PARTITION BY)");
  REQUIRE(by_id.at("whole_stream/adaptive/sql/b1000/p2/n300/qmutex")->skip_reason);
  REQUIRE_FALSE(by_id.at("stateless/lockless_stp/sql/b1000/p2/n300")->skip_reason);
  size_t skipped = 0;
  for (const Cell& c : cells) skipped += c.skip_reason.has_value();
  REQUIRE(skipped == 3);  // lockless_stp and adaptive's two queues on whole_stream p2

  REQUIRE(ignored_dimensions(spec, "direct") == std::vector<std::string>{"partitions", "queue"});
  REQUIRE(ignored_dimensions(spec, "lockless_stp") == std::vector<std::string>{"queue"});
  REQUIRE(ignored_dimensions(spec, "adaptive").empty());
}

TEST_CASE(
    "quick.toml: no cells for ignored settings, and the ids of the cells that run unchanged") {
  auto all = shipped();
  auto file = std::filesystem::path(STREAMGAUGE_SOURCE_DIR) / "scenarios" / "matrix" / "quick.toml";
  MatrixSpec spec = load_matrix(file, all, false);
  std::vector<Cell> cells = expand_matrix(spec, all, compile_all(all));
  std::map<std::string, const Cell*> by_id;
  for (const Cell& c : cells) by_id[c.id()] = &c;
  REQUIRE(cells.size() == 144);  // 208 before strategies declared their settings, 64 skipped
  for (const Cell& c : cells) {
    INFO(c.id());
    REQUIRE_FALSE(c.skip_reason);
    if (c.runner_name == "per_record_lock" || c.runner_name == "direct")
      REQUIRE(c.config.partitions == 1);
  }
  // Ids (and baselines) as reports, history and the instruction baselines know them.
  for (const char* id : {"s0_pure_select/batch_lock/sql/b100/p1/n20000",
                         "s2_group_by/lockless_stp/passthrough/b100/p2/n20000",
                         "s1_rows_window/adaptive/sql/b100/p2/n20000/qmoodycamel",
                         "startup_small_results/streaming/passthrough/b100/p1/n20000/seager",
                         "s3a_tumbling/duckdb/batch-sql/b100/p1/n20000"}) {
    INFO(id);
    REQUIRE(by_id.count(id));
  }
  REQUIRE(by_id.at("s2_group_by/lockless_stp/passthrough/b100/p2/n20000")->baseline_id() ==
          "s2_group_by/direct/passthrough/b100/p1/n20000");
  REQUIRE(by_id.at("s3a_tumbling/duckdb/batch-sql/b100/p1/n20000")->baseline_id() ==
          "s3a_tumbling/direct/sql/b100/p1/n20000");
}

TEST_CASE("the printed summary names each strategy's ignored dimensions once") {
  const TinyRun run = run_tiny("stateless", "SELECT id FROM t WHERE k > 2",
                               "strategies=['direct','per_record_lock','lockless_stp']\n"
                               "engines=['sql','passthrough']\npartitions=[1,2]\n"
                               "queues=['moodycamel','mutex']\nrepetitions=1\nwarmup=0\n");
  const MatrixResult& r = run.result;
  REQUIRE(r.failed() == 0);
  std::ostringstream out;
  print_matrix_table(r, out);
  const std::string text = out.str();
  auto count = [&](const std::string& part) {
    size_t n = 0;
    for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
    return n;
  };
  REQUIRE(count("  direct ignores: partitions, queue\n") == 1);
  REQUIRE(count("  per_record_lock ignores: partitions, queue\n") == 1);
  REQUIRE(count("  lockless_stp ignores: queue\n") == 1);
  REQUIRE(count(" ignores: ") == 3);
  REQUIRE(count("skipped") == 0);
}

TEST_CASE("a peer that cannot run here is reported as skipped, with its reason") {
  test::ScopedEnv node("STREAMGAUGE_NODE", "/nonexistent/node");
  const TinyRun run = run_tiny("stateless", "SELECT id FROM t WHERE k > 2",
                               "strategies=['direct']\npeers=['duckdb','sqlite']\n"
                               "repetitions=1\nwarmup=0\n");
  const MatrixResult& r = run.result;
  REQUIRE(r.failed() == 0);
  REQUIRE(r.cells.size() == 3);
  const CellResult& duckdb = r.cells[1];
  REQUIRE(duckdb.cell.is_peer());
  REQUIRE(duckdb.status == CellStatus::Skipped);
  REQUIRE(duckdb.reason ==
          "duckdb peer: node not found (STREAMGAUGE_NODE=/nonexistent/node is not an executable "
          "file)");
  REQUIRE(duckdb.samples.empty());
  const CellResult& sqlite = r.cells[2];
  REQUIRE(sqlite.status == CellStatus::Ok);
  REQUIRE(sqlite.samples.size() == 1);
  REQUIRE(to_json(r)["cells"][1]["status"] == "skipped");
  REQUIRE_THROWS_WITH(
      run_tiny("s", "SELECT id FROM t", "strategies=['direct']\npeers=['postgres']\n"),
      Catch::Contains("unknown peer 'postgres'") && Catch::Contains("sqlite, duckdb"));
}

TEST_CASE("a final-rows peer is labelled less work in the JSON and the table, ours is not") {
  const TinyRun run = run_tiny("continuous", "SELECT k, COUNT(*) AS n FROM t GROUP BY k",
                               "strategies=['direct']\npeers=['sqlite','sqlite-final']\n"
                               "repetitions=1\nwarmup=0\n");
  const MatrixResult& r = run.result;
  REQUIRE(r.failed() == 0);
  REQUIRE(r.cells.size() == 3);
  const nlohmann::json j = to_json(r);
  const nlohmann::json& same = j["cells"][1];
  CHECK(same["strategy"] == "sqlite");
  CHECK(same["peer_mode"] == "same-work");
  CHECK(same["peer_work"] == "");
  CHECK(same["summary"]["records_per_second"]["n"] == 1);
  const nlohmann::json& final_rows = j["cells"][2];
  CHECK(final_rows["strategy"] == "sqlite-final");
  CHECK(final_rows["peer_mode"] == "final-rows");
  CHECK(final_rows["peer_work"] == "less work: final rows only (7 rows vs 300)");
  std::ostringstream table;
  print_matrix_table(r, table);
  const std::string text = table.str();
  // The cell's line, the grid's column and the checks all say so.
  CHECK(text.find("continuous/sqlite-final/batch-sql/b1000/p1/n300") != std::string::npos);
  CHECK(text.find("less work: final rows only (7 rows vs 300)\n") != std::string::npos);
  CHECK(text.find("sqlite-final (less work)") != std::string::npos);
  CHECK(text.find("less work: final rows only (7 rows vs 300); rows equal to streamgauge's final "
                  "row per group: 7 rows, ok") != std::string::npos);
  CHECK(text.find("rows equal to streamgauge's output row for row, in order: 300 rows, ok") !=
        std::string::npos);
}

TEST_CASE("a matrix run checks every pass against direct and reports the cells") {
  const TinyRun run = run_tiny("keyed", "SELECT k, COUNT(*) AS n FROM t GROUP BY k",
                               "strategies=['direct','batch_lock','lockless_stp']\n"
                               "partitions=[1,2]\nbatch_sizes=[16]\nrepetitions=2\nwarmup=1\n");
  const MatrixResult& r = run.result;
  REQUIRE(r.failed() == 0);
  size_t ok = 0;
  for (const CellResult& c : r.cells) {
    if (c.status == CellStatus::Ok) {
      ++ok;
      REQUIRE(c.samples.size() == 2);
      REQUIRE(c.samples[0].rows_written == 300);
    }
  }
  REQUIRE(ok == 4);  // direct p1, batch_lock p1, lockless_stp p1 and p2
  nlohmann::json j = to_json(r);
  REQUIRE(j["cells"].size() == r.cells.size());
  REQUIRE(j["environment"].contains("cpu_model"));
  std::string csv = to_csv(r);
  REQUIRE(csv.find("keyed/lockless_stp/sql/b16/p2/n300") != std::string::npos);
}

TEST_CASE("a cell whose output differs from direct's fails loudly") {
  std::vector<Scenario> all = {tiny_scenario("keyed", "SELECT k, COUNT(*) AS n FROM t GROUP BY k")};
  MatrixSpec spec = parse_matrix(
      "name='m'\nscenarios=['*']\nstrategies=['direct','batch_lock']\n"
      "repetitions=1\nwarmup=0\n",
      "m.toml", all, false);
  // An engine that loses the last row of every batch: a wrong result, not a crash.
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
  MatrixRunOptions options;
  options.wrap_engine = [](std::unique_ptr<Engine> e, int) -> std::unique_ptr<Engine> {
    return std::make_unique<Lossy>(std::move(e));
  };
  MatrixResult r = run_matrix(spec, all, capture_environment(0, nullptr), options);
  REQUIRE(r.failed() == 1);
  for (const CellResult& c : r.cells) {
    if (c.cell.runner_name == "batch_lock") {
      REQUIRE(c.status == CellStatus::Failed);
      REQUIRE_THAT(c.reason, Catch::Contains("differs from direct"));
    }
  }
}

TEST_CASE("a wrong expected digest in a scenario's check fails its cells") {
  Scenario s = tiny_scenario("checked", "SELECT id FROM t WHERE k > 2");
  s.check.expected_digest = "00000000000000000000000000000000";
  std::vector<Scenario> all = {s};
  MatrixSpec spec = parse_matrix(
      "name='m'\nscenarios=['*']\nstrategies=['direct']\nrepetitions=1\n", "m.toml", all, false);
  MatrixResult r = run_matrix(spec, all, capture_environment(0, nullptr), {});
  REQUIRE(r.failed() == 1);
  REQUIRE_THAT(r.cells.front().reason, Catch::Contains("expected digest"));
}

TEST_CASE("streaming modes and phase timing are matrix dimensions, for those that read them") {
  std::vector<Scenario> all = {tiny_scenario("stateless", "SELECT id FROM t WHERE k > 2")};
  MatrixSpec spec = parse_matrix(
      "name='m'\nscenarios=['*']\nstrategies=['direct','streaming']\n"
      "streaming_modes=['eager','spawnless']\nphase_timing=[true,false]\n",
      "m.toml", all, false);
  std::vector<Cell> cells = expand_matrix(spec, all, compile_all(all));
  std::map<std::string, const Cell*> by_id;
  for (const Cell& c : cells) by_id[c.id()] = &c;
  REQUIRE_FALSE(by_id.at("stateless/streaming/sql/b1000/p1/n300/sspawnless")->skip_reason);
  REQUIRE_FALSE(
      by_id.at("stateless/streaming/sql/b1000/p1/n300/seager/untimed-phases")->skip_reason);
  REQUIRE_FALSE(by_id.count("stateless/direct/sql/b1000/p1/n300/sspawnless"));
  REQUIRE_FALSE(by_id.at("stateless/direct/sql/b1000/p1/n300/untimed-phases")->skip_reason);
  // an untimed cell is compared with an untimed direct
  REQUIRE(by_id.at("stateless/streaming/sql/b1000/p1/n300/seager/untimed-phases")->baseline_id() ==
          "stateless/direct/sql/b1000/p1/n300/untimed-phases");
  REQUIRE_THROWS_WITH(
      parse_matrix("name='m'\nscenarios=['*']\nstrategies=['*']\nstreaming_modes=['fast']\n",
                   "m.toml", all, false),
      Catch::Contains("unknown mode 'fast'"));
}

TEST_CASE("pin_threads pins a whole matrix: its cells and their baselines are named /pinned") {
  std::vector<Scenario> all = {tiny_scenario("stateless", "SELECT id FROM t WHERE k > 2")};
  const std::string head = "name='m'\nscenarios=['*']\nstrategies=['direct','lockless_stp']\n";
  MatrixSpec spec = parse_matrix(head + "partitions=[2]\npin_threads=true\n", "m.toml", all, false);
  REQUIRE(spec.base.pin_threads);
  std::map<std::string, const Cell*> by_id;
  std::vector<Cell> cells = expand_matrix(spec, all, compile_all(all));
  for (const Cell& c : cells) by_id[c.id()] = &c;
  const Cell* stp = by_id.at("stateless/lockless_stp/sql/b1000/p2/n300/pinned");
  REQUIRE(stp->config.pin_threads);
  REQUIRE(stp->baseline_id() == "stateless/direct/sql/b1000/p1/n300/pinned");
  REQUIRE(by_id.count("stateless/direct/sql/b1000/p1/n300/pinned") == 1);

  MatrixSpec unpinned = parse_matrix(head, "m.toml", all, false);
  REQUIRE_FALSE(unpinned.base.pin_threads);
  for (const Cell& c : expand_matrix(unpinned, all, compile_all(all)))
    REQUIRE(c.id().find("pinned") == std::string::npos);

  REQUIRE_THROWS_WITH(parse_matrix(head + "pin_threads='yes'\n", "m.toml", all, false),
                      Catch::Contains("pin_threads"));
}

TEST_CASE("a pinned cell whose threads could not be pinned fails, naming the refusal") {
  std::vector<Scenario> all = {tiny_scenario("stateless", "SELECT id FROM t WHERE k > 2")};
  const std::string text =
      "name='m'\nscenarios=['*']\nstrategies=['direct','lockless_stp']\npartitions=[2]\n"
      "repetitions=1\nwarmup=0\n";
  MatrixSpec pinned = parse_matrix(text + "pin_threads=true\n", "m.toml", all, false);
  MatrixSpec unpinned = parse_matrix(text, "m.toml", all, false);
  refuse_pins_for_testing(true);
  MatrixResult refused = run_matrix(pinned, all, capture_environment(0, nullptr), {});
  MatrixResult plain = run_matrix(unpinned, all, capture_environment(0, nullptr), {});
  refuse_pins_for_testing(false);
  MatrixResult granted = run_matrix(pinned, all, capture_environment(0, nullptr), {});

  REQUIRE(refused.failed() == 2);  // direct p1 and lockless_stp p2
  for (const CellResult& c : refused.cells) {
    INFO(c.cell.id());
    if (c.status == CellStatus::Skipped) continue;
    REQUIRE(c.status == CellStatus::Failed);
    REQUIRE(c.reason.find("could not be pinned, so this /pinned cell was not") !=
            std::string::npos);
    REQUIRE(c.reason.find("pthread affinity call failed: Invalid argument") != std::string::npos);
  }
  REQUIRE(plain.failed() == 0);  // an unpinned run never asks, so nothing is refused
  REQUIRE(granted.failed() == 0);
}

TEST_CASE("queue capacity is a matrix dimension for the strategies that queue records") {
  std::vector<Scenario> all = {tiny_scenario("stateless", "SELECT id FROM t WHERE k > 2")};
  MatrixSpec spec = parse_matrix(
      "name='m'\nscenarios=['*']\nstrategies=['direct','adaptive','streaming']\n"
      "queue_capacities=[16, 4096]\n",
      "m.toml", all, false);
  REQUIRE(spec.queue_capacities == std::vector<size_t>{16, 4096});
  std::map<std::string, const Cell*> by_id;
  std::vector<Cell> cells = expand_matrix(spec, all, compile_all(all));
  for (const Cell& c : cells) by_id[c.id()] = &c;
  for (size_t capacity : {16, 4096}) {
    INFO(capacity);
    const Cell* adaptive =
        by_id.at(fmt::format("stateless/adaptive/sql/b1000/p1/n300/qmoodycamel/c{}", capacity));
    REQUIRE(adaptive->config.queue_capacity == capacity);
    REQUIRE_FALSE(adaptive->skip_reason);
    const Cell* streaming =
        by_id.at(fmt::format("stateless/streaming/sql/b1000/p1/n300/seager/c{}", capacity));
    REQUIRE(streaming->config.queue_capacity == capacity);
    REQUIRE_FALSE(streaming->skip_reason);
  }
  // direct has no queue: one cell, with the first capacity, named as without the dimension.
  REQUIRE(by_id.at("stateless/direct/sql/b1000/p1/n300")->config.queue_capacity == 16);
  REQUIRE_FALSE(by_id.count("stateless/direct/sql/b1000/p1/n300/c4096"));
  // One capacity (the default): ids stay as they were.
  MatrixSpec plain =
      parse_matrix("name='m'\nscenarios=['*']\nstrategies=['adaptive']\n", "m.toml", all, false);
  for (const Cell& c : expand_matrix(plain, all, compile_all(all))) {
    REQUIRE(c.id().find("/c") == std::string::npos);
    REQUIRE(c.config.queue_capacity == JobConfig{}.queue_capacity);
  }
  REQUIRE_THROWS_WITH(
      parse_matrix("name='m'\nscenarios=['*']\nstrategies=['*']\nqueue_capacities=[0]\n", "m.toml",
                   all, false),
      Catch::Contains("queue_capacities"));
}

TEST_CASE("matrix: end_of_stream varies the reader-based strategies only, and every cell checks") {
  TinyRun run = run_tiny("t", "SELECT id, k FROM t",
                         "strategies=['direct', 'batch_lock']\nend_of_stream=['marker', "
                         "'empty-reads']\nempty_reads=2\nempty_read_sleep_ms=0\nrepetitions=1\n"
                         "warmup=0\n");
  std::vector<std::string> ids;
  for (const auto& c : run.result.cells) {
    INFO(c.cell.id());
    REQUIRE(c.status == CellStatus::Ok);
    ids.push_back(c.cell.id());
  }
  REQUIRE(ids == std::vector<std::string>{"t/direct/sql/b1000/p1/n300",
                                          "t/batch_lock/sql/b1000/p1/n300",
                                          "t/batch_lock/sql/b1000/p1/n300/eos-empty2x0ms"});
  auto all = shipped();
  REQUIRE_THROWS_WITH(parse_matrix("name='m'\nscenarios=['*']\nstrategies=['batch_lock']\n"
                                   "end_of_stream=['timeout']\n",
                                   "m.toml", all, false),
                      Catch::Contains("unknown rule 'timeout'; known: marker, empty-reads"));
  REQUIRE_THROWS_WITH(parse_matrix("name='m'\nscenarios=['*']\nstrategies=['batch_lock']\n"
                                   "end_of_stream=['empty-reads']\nempty_reads=0\n",
                                   "m.toml", all, false),
                      Catch::Contains("must be 1 to 1000"));
}
