// Where `run` and `matrix` write: output paths settled before any data is generated, default
// names that never collide, and no existing result replaced without --force.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../harness/temp_dir.h"
#include "cli_test_support.h"
#include "harness/matrix/result_paths.h"

using namespace sg;
using namespace sg::test;

namespace {

// A small run of s0 (not --quiet, so that generating data would be logged on stderr).
std::vector<std::string> small_run(const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"run",       "--scenario", "s0_pure_select", "--no-baseline",
                                   "--records", "2000",       "--repetitions",  "1",
                                   "--warmup",  "0",          "--scenarios",    kScenarios};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// The current directory for one scope (default result names are relative to it).
struct InDirectory {
  explicit InDirectory(const std::filesystem::path& p) : old(std::filesystem::current_path()) {
    std::filesystem::current_path(p);
  }
  ~InDirectory() { std::filesystem::current_path(old); }
  std::filesystem::path old;
};

}  // namespace

TEST_CASE("run: an output path that cannot be written stops the run before any data is made") {
  sg::test::TempDir dir;
  const std::string file = dir.write("a-file", "x");
  struct Case {
    std::string out;
    std::vector<std::string> extra;
    std::string says;
  };
  std::vector<Case> cases = {
      {"/dev/full/x.json", {}, "cannot create the result folder /dev/full"},
      {file + "/x.json", {}, "a file is in the way"},
      {"/dev/full", {"--force"}, "cannot write /dev/full"},
  };
  if (geteuid() != 0) {  // root writes into a read-only folder anyway
    const std::string ro = dir.file("read-only");
    std::filesystem::create_directory(ro);
    std::filesystem::permissions(
        ro, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
    cases.push_back({ro + "/x.json", {}, "cannot write " + ro + "/x.json"});
  }
  for (const Case& c : cases) {
    INFO(c.out);
    std::vector<std::string> extra = {"--out", c.out};
    extra.insert(extra.end(), c.extra.begin(), c.extra.end());
    const std::string err = printed_on(std::cerr, [&] {
      REQUIRE_THROWS_WITH(run_cli(small_run(extra), add_run_and_matrix), Catch::Contains(c.says));
    });
    REQUIRE(err.find("generating") == std::string::npos);
  }
}

TEST_CASE("run: an existing --out is refused without --force, and replaced with it") {
  sg::test::TempDir dir;
  const std::string out = dir.write("r.json", "an earlier result");
  REQUIRE_THROWS_WITH(run_cli(small_run({"--quiet", "--out", out}), add_run_and_matrix),
                      Catch::Contains("exists") && Catch::Contains("--force"));
  REQUIRE(sg::test::TempDir::read(out) == "an earlier result");
  REQUIRE(run_cli(small_run({"--quiet", "--out", out, "--force"}), add_run_and_matrix) == 0);
  std::ifstream in(out);
  REQUIRE(nlohmann::json::parse(in)["cells"].size() == 1);
}

TEST_CASE("run: two runs in the same second keep two result files") {
  sg::test::TempDir dir;
  InDirectory here(dir.file(""));
  REQUIRE(run_cli(small_run({"--quiet"}), add_run_and_matrix) == 0);
  REQUIRE(run_cli(small_run({"--quiet"}), add_run_and_matrix) == 0);
  size_t json = 0, journals = 0;
  for (const auto& e : std::filesystem::directory_iterator("results")) {
    json += e.path().extension() == ".json";
    journals += e.path().string().find("journal") != std::string::npos;
  }
  REQUIRE(json == 2);
  REQUIRE(journals == 0);  // a finished run's journal goes once its result is written
}

TEST_CASE("default result names differ within one millisecond and one process") {
  sg::test::TempDir dir;
  const auto a = default_result_path("m", dir.file(""));
  std::ofstream(a) << "{}";
  const auto b = default_result_path("m", dir.file(""));
  REQUIRE(a != b);
  REQUIRE_THAT(a.filename().string(), Catch::Contains(std::to_string(getpid())));
}

TEST_CASE("matrix: --source runs every cell on that source instead of the file's") {
  sg::test::TempDir dir;
  const std::string file = dir.write("m.toml", R"(name = "m"
scenarios = ["s0_pure_select"]
strategies = ["direct", "batch_lock"]
engines = ["sql"]
records = [2000]
repetitions = 1
warmup = 0
sources = ["materialized"]
)");
  auto sources_of = [&](const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"matrix", file, "--quiet", "--scenarios", kScenarios,
                                     "--out", dir.file("r.json"), "--force"};
    args.insert(args.end(), extra.begin(), extra.end());
    REQUIRE(run_cli(args, add_run_and_matrix) == 0);
    std::ifstream in(dir.file("r.json"));
    const nlohmann::json result = nlohmann::json::parse(in);  // outlives the loop over its cells
    std::set<std::string> sources;
    for (const auto& cell : result["cells"]) {
      REQUIRE(cell["status"] == "ok");
      sources.insert(cell["config"]["source"].get<std::string>());
    }
    return sources;
  };
  REQUIRE(sources_of({}) == std::set<std::string>{"materialized"});
  REQUIRE(sources_of({"--source", "lent"}) == std::set<std::string>{"lent"});
  const std::string err = printed_on(std::cerr, [&] {
    REQUIRE(run_cli({"matrix", file, "--source", "kafka", "--scenarios", kScenarios},
                    add_run_and_matrix) != 0);
  });
  REQUIRE_THAT(err, Catch::Contains("unknown source 'kafka'") && Catch::Contains("materialized"));
}
