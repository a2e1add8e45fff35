// The streamgauge command: a thin list of subcommands (cli/commands.h). Every error ends here as
// a message and an exit code, never as a crash.
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "harness/job/process_threads.h"

int main(int argc, char** argv) {
  sg::leave_single_threaded_mode();  // every pass times the same libc paths
  CLI::App app{
      "streamgauge: how much of a streaming SQL pipeline's time is SQL work, and how "
      "much is coordination"};
  app.require_subcommand(1);
  sg::add_list_command(app);
  sg::add_run_command(app, argc, argv);
  sg::add_matrix_command(app, argc, argv);
  sg::add_compare_command(app);
  sg::add_history_command(app);
  sg::add_explain_command(app, argc, argv);
  sg::add_latency_command(app, argc, argv);
  sg::add_query_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const sg::CommandExit& e) {
    return e.code;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  } catch (...) {
    std::cerr << "error: unknown failure\n";
    return 1;
  }
  return 0;
}
