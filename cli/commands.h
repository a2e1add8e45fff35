// The streamgauge subcommands. Each lives in cli/command_<name>.cpp and registers itself with
// add_<name>_command(app); cli/main.cpp only lists them.
//
// A command's callback reports a non-zero exit status by throwing CommandExit, which main()
// turns into the process's exit code (CLI11 callbacks cannot return one).
#pragma once

#include <ostream>

#include <CLI/CLI.hpp>

namespace sg {

struct CommandExit {
  int code = 0;
};

// streamgauge query --sql ... --input FILE: one query over a CSV/JSONL file (cli/command_query.h).
void add_query_command(CLI::App& app);
// The same, writing to the given streams instead of stdout/stderr (for tests).
void add_query_command(CLI::App& app, std::ostream& out, std::ostream& err);

// streamgauge list: scenarios, strategies, queues, engines.
void add_list_command(CLI::App& app);
// streamgauge run / matrix: one cell, or a matrix file; `argv` is recorded in the result file.
void add_run_command(CLI::App& app, int argc, const char* const* argv);
void add_matrix_command(CLI::App& app, int argc, const char* const* argv);
// streamgauge compare BASELINE CURRENT: faster / slower / same / unstable per cell.
void add_compare_command(CLI::App& app);
// streamgauge history: the trend of a cell across runs appended to the SQLite history.
void add_history_command(CLI::App& app);
// streamgauge explain MATRIX --microbench DIR: measured overhead vs the component model.
void add_explain_command(CLI::App& app, int argc, const char* const* argv);
// streamgauge latency: one scenario x strategy at offered rates, latency percentiles per rate.
void add_latency_command(CLI::App& app, int argc, const char* const* argv);

}  // namespace sg
