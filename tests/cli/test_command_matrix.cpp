// Where `run` and `matrix` write: output paths settled before any data is generated, default
// names that never collide, and no existing result replaced without --force.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../harness/temp_dir.h"
#include "cli/commands.h"
#include "harness/matrix/result_paths.h"

using namespace sg;

namespace {

// Runs `streamgauge ARGS...` through CLI11 as main() does; returns the exit code. Errors that
// main() prints (as "error: ...", exit 1) propagate as exceptions.
int run_cli(std::vector<std::string> args) {
  CLI::App app{"streamgauge"};
  std::vector<const char*> argv = {"streamgauge"};
  for (const std::string& a : args) argv.push_back(a.c_str());
  add_run_command(app, int(argv.size()), argv.data());
  add_matrix_command(app, int(argv.size()), argv.data());
  try {
    app.parse(int(argv.size()), argv.data());
  } catch (const CommandExit& e) {
    return e.code;
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return 0;
}

const std::string kScenarios = std::string(STREAMGAUGE_SOURCE_DIR) + "/scenarios";

// A small run of s0 (not --quiet, so that generating data would be logged on stderr).
std::vector<std::string> small_run(const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"run",       "--scenario", "s0_pure_select", "--no-baseline",
                                   "--records", "2000",       "--repetitions",  "1",
                                   "--warmup",  "0",          "--scenarios",    kScenarios};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// Runs with stderr captured; returns what the command printed there.
std::string stderr_of(const std::function<void()>& f) {
  std::ostringstream captured;
  std::streambuf* old = std::cerr.rdbuf(captured.rdbuf());
  try {
    f();
  } catch (...) {
    std::cerr.rdbuf(old);
    throw;
  }
  std::cerr.rdbuf(old);
  return captured.str();
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
    const std::string err =
        stderr_of([&] { REQUIRE_THROWS_WITH(run_cli(small_run(extra)), Catch::Contains(c.says)); });
    REQUIRE(err.find("generating") == std::string::npos);
  }
}

TEST_CASE("run: an existing --out is refused without --force, and replaced with it") {
  sg::test::TempDir dir;
  const std::string out = dir.write("r.json", "an earlier result");
  REQUIRE_THROWS_WITH(run_cli(small_run({"--quiet", "--out", out})),
                      Catch::Contains("exists") && Catch::Contains("--force"));
  REQUIRE(sg::test::TempDir::read(out) == "an earlier result");
  REQUIRE(run_cli(small_run({"--quiet", "--out", out, "--force"})) == 0);
  std::ifstream in(out);
  REQUIRE(nlohmann::json::parse(in)["cells"].size() == 1);
}

TEST_CASE("run: two runs in the same second keep two result files") {
  sg::test::TempDir dir;
  InDirectory here(dir.file(""));
  REQUIRE(run_cli(small_run({"--quiet"})) == 0);
  REQUIRE(run_cli(small_run({"--quiet"})) == 0);
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
