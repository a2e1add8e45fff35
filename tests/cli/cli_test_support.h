// Shared by the command tests: `streamgauge ARGS...` parsed through CLI11 as cli/main.cpp parses
// it, with the commands a test registers, and what a command prints captured.
#pragma once

#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace sg::test {

inline const std::string kScenarios = std::string(STREAMGAUGE_SOURCE_DIR) + "/scenarios";

// Registers the commands a test parses; argc/argv are the whole command line, as main() has it.
using AddCommands = void (*)(CLI::App& app, int argc, const char* const* argv);

inline void add_run_and_matrix(CLI::App& app, int argc, const char* const* argv) {
  add_run_command(app, argc, argv);
  add_matrix_command(app, argc, argv);
}
inline void add_compare(CLI::App& app, int, const char* const*) {
  add_compare_command(app);
}
inline void add_history(CLI::App& app, int, const char* const*) {
  add_history_command(app);
}
// add_latency_command registers as AddCommands does.

// Parses `streamgauge ARGS...` (ARGS starting with the command's name) and returns the exit code
// main() would: a CommandExit's, CLI11's for a parse error (printed as main() prints it), else 0.
// Errors that main() prints as "error: ..." (exit 1) propagate as exceptions.
inline int run_cli(const std::vector<std::string>& args, AddCommands add) {
  CLI::App app{"streamgauge"};
  std::vector<const char*> argv = {"streamgauge"};
  for (const std::string& a : args) argv.push_back(a.c_str());
  add(app, int(argv.size()), argv.data());
  try {
    app.parse(int(argv.size()), argv.data());
  } catch (const CommandExit& e) {
    return e.code;
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return 0;
}

// `latency` on a small sweep of s0_pure_select, quiet, written to `out`: rates 20k/s and 1% of
// the peak, 50 ms each, `repetitions` passes per rate; the peak from one pass of 5,000 records.
inline std::vector<std::string> small_latency_sweep(const std::string& strategy,
                                                    const std::string& out, int repetitions = 1) {
  return {"latency",
          "--scenario",
          "s0_pure_select",
          "--strategy",
          strategy,
          "--rates",
          "20k,1%",
          "--duration",
          "0.05",
          "--repetitions",
          std::to_string(repetitions),
          "--peak-records",
          "5000",
          "--peak-repetitions",
          "1",
          "--batch-size",
          "50",
          "--quiet",
          "--scenarios",
          kScenarios,
          "--out",
          out};
}

// Runs `f` with `stream` (std::cout or std::cerr) captured; returns what was printed there. The
// stream is restored however `f` ends.
inline std::string printed_on(std::ostream& stream, const std::function<void()>& f) {
  std::ostringstream captured;
  std::streambuf* old = stream.rdbuf(captured.rdbuf());
  try {
    f();
  } catch (...) {
    stream.rdbuf(old);
    throw;
  }
  stream.rdbuf(old);
  return captured.str();
}

struct CliOutput {
  int code = 0;
  std::string out;  // what the command printed on stdout
};

// run_cli(), with what the command printed on stdout.
inline CliOutput run_cli_printing(const std::vector<std::string>& args, AddCommands add) {
  CliOutput r;
  r.out = printed_on(std::cout, [&] { r.code = run_cli(args, add); });
  return r;
}

}  // namespace sg::test
