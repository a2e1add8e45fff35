// `streamgauge run`'s numbers are checked as the matrix file checks them: positive, in range, no
// wrap-around of "-5" into a huge unsigned count; a cell the strategy would skip is an error.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "cli/commands.h"

using namespace sg;

namespace {

const std::string kScenarios = std::string(STREAMGAUGE_SOURCE_DIR) + "/scenarios";

struct Outcome {
  int code = 0;
  std::string message;  // the ParseError's, empty when the command ran
};

// Parses `streamgauge run --scenario SCENARIO ARGS...` as main() does.
Outcome run_with(std::vector<std::string> args, const std::string& scenario = "s0_pure_select") {
  const auto out = std::filesystem::temp_directory_path() / "sg-test-run-arguments" / "r.json";
  std::vector<std::string> all = {"run",      "--scenario", scenario, "--scenarios",
                                  kScenarios, "--quiet",    "--out",  out.string(), "--force"};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<const char*> argv = {"streamgauge"};
  for (const std::string& a : all) argv.push_back(a.c_str());
  CLI::App app{"streamgauge"};
  add_run_command(app, int(argv.size()), argv.data());
  try {
    app.parse(int(argv.size()), argv.data());
  } catch (const CommandExit& e) {
    return {e.code, ""};
  } catch (const CLI::ParseError& e) {
    return {e.get_exit_code(), e.what()};
  }
  return {0, ""};
}

constexpr int kUsageError = static_cast<int>(CLI::ExitCodes::ValidationError);

}  // namespace

TEST_CASE("run arguments: zero, negative and wrapping numbers are usage errors naming the flag") {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--records", "0"}, "--records: Value 0 not in range 1 to 1000000000000000"},
      {{"--records", "-5"}, "--records: Value -5 not in range 1 to 1000000000000000"},
      {{"--records", "18446744073709551611"},
       "--records: Value 18446744073709551611 not in range 1 to 1000000000000000"},
      {{"--partitions", "0"}, "--partitions: Value 0 not in range 1 to 1024"},
      {{"--partitions", "-2"}, "--partitions: Value -2 not in range 1 to 1024"},
      {{"--batch-size", "0"}, "--batch-size: Value 0 not in range 1 to 100000000"},
      {{"--batch-size", "-1"}, "--batch-size: Value -1 not in range 1 to 100000000"},
      {{"--queue-capacity", "0"}, "--queue-capacity: Value 0 not in range 1 to 1073741824"},
      {{"--repetitions", "0"}, "--repetitions: Value 0 not in range 1 to 1000000"},
      {{"--warmup", "-1"}, "--warmup: Value -1 not in range 0 to 1000000"},
      {{"--inject-work", "-3"}, "--inject-work: Value -3 not in range 0 to 1000000"},
      {{"--records", "ten"}, "--records: Value ten not in range 1 to 1000000000000000"},
  };
  for (const auto& [args, message] : cases) {
    INFO(args[0] << " " << args[1]);
    const Outcome o = run_with(args);
    CHECK(o.code == kUsageError);
    CHECK(o.message == message);
  }
}

TEST_CASE("run arguments: a cell its strategy would skip is a usage error, not an empty result") {
  const Outcome o = run_with({"--strategy", "adaptive", "--partitions", "2", "--routing",
                              "round_robin", "--records", "100"},
                             "s2_group_by");
  CHECK(o.code == kUsageError);
  CHECK(o.message ==
        "run: adaptive: --routing round_robin splits a key across workers, but the query keeps "
        "state per key (use --routing hash)");
}

TEST_CASE("run arguments: values at the bounds run") {
  const Outcome o =
      run_with({"--records", "1", "--batch-size", "1", "--partitions", "1", "--queue-capacity", "1",
                "--repetitions", "1", "--warmup", "0", "--no-baseline"});
  CHECK(o.message.empty());
  CHECK(o.code == 0);
}

TEST_CASE("run arguments: a record count past memory is refused before generating, with figures") {
  try {
    run_with({"--records", "1000000000000", "--no-baseline"});
    FAIL("no error");
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    INFO(message);
    CHECK(message.rfind("the generated data needs about ", 0) == 0);
    CHECK(message.find("\n  s0_pure_select: 1000000000000 records x ") != std::string::npos);
  }
}

TEST_CASE("run arguments: an unknown --source is a usage error listing the known ones") {
  const Outcome o = run_with({"--source", "kafka", "--records", "100"});
  CHECK(o.code == kUsageError);
  CHECK(o.message == "--source: unknown value 'kafka'; known: lent, shared, materialized");
}

TEST_CASE("run arguments: --handoff on a strategy without a hand-off is a usage error") {
  Outcome o = run_with({"--strategy", "lockless_stp", "--handoff", "share", "--records", "100"});
  CHECK(o.code == kUsageError);
  CHECK(o.message ==
        "--handoff: lockless_stp has no reader-to-worker hand-off (--handoff is read by "
        "adaptive)");
  o = run_with({"--strategy", "adaptive", "--handoff", "clone", "--records", "100"});
  CHECK(o.code == kUsageError);
  CHECK(o.message == "--handoff: unknown value 'clone'; known: move, share, deep-copy");
}
