// `streamgauge explain --require SHARE`: the exit code a CI job or a user gates on.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "../harness/temp_dir.h"
#include "cli_test_support.h"

namespace {

namespace fs = std::filesystem;

nlohmann::json bench(const std::string& name, double ns) {
  return {{"name", name}, {"run_name", name}, {"run_type", "iteration"}, {"items_per_second", 1e9 / ns}};
}

// Hand-written fixture, not a measurement: direct and batch_lock over 1000 records, batch_lock's
// pairs at ratio 1.02 [1.01, 1.03]; its counts (11 locks, 10 batches) priced by the benchmarks
// below give the model a share of 0.42 / 20.
nlohmann::json cell(const std::string& strategy, bool paired) {
  nlohmann::json c = {
      {"id", "s0/" + strategy + "/sql/b100/p1/n1000"},
      {"scenario", "s0"},
      {"strategy", strategy},
      {"peer", false},
      {"records", 1000},
      {"status", "ok"},
      {"config", {{"engine", "sql"}, {"batch_size", 100}, {"partitions", 1}, {"phase_timing", false}}},
      {"samples",
       {{{"wall_ns", 1'000'000}, {"records_read", 1000}, {"batches", 10}, {"locks_taken", 11}}}}};
  if (paired)
    c["summary"] = {{"baseline", "s0/direct/sql/b100/p1/n1000"},
                    {"paired",
                     {{"ratio", 1.02}, {"low", 1.01}, {"high", 1.03}, {"baseline_wall_ns", {1e6}}}}};
  return c;
}

struct Files {
  sg::test::TempDir temp;
  fs::path dir = fs::path(temp.file(""));
  Files() {
    fs::create_directories(dir / "mb");
    std::ofstream(dir / "m.json") << nlohmann::json{
        {"format", "streamgauge-matrix-result/1"},
        {"environment", {{"cores", 2}}},
        {"cells", {cell("direct", false), cell("batch_lock", true)}}};
    std::ofstream(dir / "mb" / "bench.json") << nlohmann::json{
        {"benchmarks",
         {bench("lock/mutex_lock_unlock/uncontended", 20), bench("batch/clock_read", 25),
          bench("batch/job_loop/batch:1", 50), bench("batch/direct_loop/batch:1", 30)}}};
  }
  std::vector<std::string> args(const std::string& require,
                                const std::string& require_cells = "") const {
    std::vector<std::string> a = {"explain", (dir / "m.json").string(), "--microbench",
                                  (dir / "mb").string(), "--json", (dir / "out.json").string()};
    if (!require.empty()) a.insert(a.end(), {"--require", require});
    if (!require_cells.empty()) a.insert(a.end(), {"--require-cells", require_cells});
    return a;
  }
};

void add_explain(CLI::App& app, int argc, const char* const* argv) {
  sg::add_explain_command(app, argc, argv);
}

}  // namespace

TEST_CASE("explain --require exits 1 when a strategy's explained share falls short") {
  const Files f;
  CHECK(sg::test::run_cli(f.args(""), add_explain) == 0);
  CHECK(sg::test::run_cli(f.args("0.9"), add_explain) == 1);   // 2% explained
  // 2% lies in 1%-199%, but its one cell above noise is not within +-20% (the default 80%)...
  CHECK(sg::test::run_cli(f.args("0.01"), add_explain) == 1);
  CHECK(sg::test::run_cli(f.args("0.01", "0"), add_explain) == 0);  // ... which 0 turns off
  std::ifstream in(f.dir / "out.json");
  const nlohmann::json j = nlohmann::json::parse(in);
  CHECK(j["format"] == "streamgauge-explain/3");
  // The model is code: the file names the commit and command that computed it.
  CHECK(j["environment"].contains("commit"));
  CHECK(j["environment"]["command"].get<std::string>().find("explain") != std::string::npos);
  REQUIRE(j["summary"].size() == 1);
  CHECK(j["summary"][0]["group"] == "batch_lock");
  CHECK(j["summary"][0]["explained_share"].get<double>() == Approx(0.42 / 20));
  CHECK(sg::test::run_cli(f.args("1.5"), add_explain) != 0);  // outside 0-1: a usage error
}

TEST_CASE("explain --process-floor: cells within the A/A pair's spread between processes") {
  const Files f;
  fs::create_directories(f.dir / "aa");
  for (const auto& [name, ratio] : {std::pair{"process-1.json", 0.97}, {"process-2.json", 1.01}}) {
    nlohmann::json aa = cell("batch_lock", true);
    aa["summary"]["paired"]["ratio"] = ratio;
    std::ofstream(f.dir / "aa" / name) << nlohmann::json{{"format", "streamgauge-matrix-result/1"},
                                                         {"cells", {cell("direct", false), aa}}};
  }
  // The matrix's batch_lock cell as a strategy that runs a thread of its own beside the caller's.
  nlohmann::json threaded = cell("batch_lock", true);
  threaded["samples"][0]["threads"] = {{{"role", "job"}}, {{"role", "partition 0"}}};
  std::ofstream(f.dir / "m.json") << nlohmann::json{{"format", "streamgauge-matrix-result/1"},
                                                    {"environment", {{"cores", 2}}},
                                                    {"cells", {cell("direct", false), threaded}}};
  std::vector<std::string> args = f.args("0.9");
  args.insert(args.end(), {"--process-floor", (f.dir / "aa").string()});
  // Its 2% lies within the 3% that the A/A read: nothing above noise falls short.
  CHECK(sg::test::run_cli(args, add_explain) == 0);
  std::ifstream in(f.dir / "out.json");
  const nlohmann::json j = nlohmann::json::parse(in);
  CHECK(j["process_floor"]["processes"] == 2);
  CHECK(j["rows"][0]["within_process_floor"] == true);
  CHECK(j["summary"][0]["within_process_floor"] == 1);

  args.back() = (f.dir / "missing").string();
  CHECK_THROWS_WITH(sg::test::run_cli(args, add_explain), Catch::Contains("no such folder"));
}
