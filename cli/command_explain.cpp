// `streamgauge explain MATRIX.json --microbench DIR [--json OUT] [--require SHARE]`: how much of
// each strategy's measured overhead over direct the microbenched components account for
// (harness/analysis/overhead_model.h). With --require, exits 1 naming the strategies whose
// explained share falls outside [SHARE, 2 - SHARE], so that CI or a user can gate on the model;
// --drop TERM leaves a term out, the mutation check that it is needed; --process-floor DIR adds
// the noise floor between processes (harness/analysis/process_floor.h).
#include <fstream>
#include <iostream>
#include <iterator>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "harness/analysis/overhead_model.h"
#include "harness/job/json_depth.h"
#include "harness/matrix/environment.h"

namespace sg {

void add_explain_command(CLI::App& app, int argc, const char* const* argv) {
  auto* cmd = app.add_subcommand(
      "explain",
      "predict each strategy's overhead over direct from the microbenches x the run's counts, "
      "and show what stays unexplained");
  struct Options {
    std::string matrix, microbench, earlier, json_out, process_floor;
    double require = 0;
    double require_cells = 0.8;  // issue 19: at least 80% of the cells within +-20%
    std::vector<std::string> drop;
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("matrix", o->matrix, "a matrix result (streamgauge matrix ... --out FILE)")
      ->required();
  cmd->add_option("--microbench", o->microbench,
                  "folder of Google Benchmark JSON (scripts/microbench --out DIR)")
      ->required();
  cmd->add_option("--microbench-earlier", o->earlier,
                  "folder of an earlier reading of the probed (two-thread) microbenches: their "
                  "repetitions in the matrix's cross-core regime join those of --microbench, and "
                  "two readings that differ there are named (scripts/run reads them before the "
                  "matrices)");
  cmd->add_option("--process-floor", o->process_floor,
                  "folder of matrix results of A/A pairs (the same work on both sides), one "
                  "per process (scripts/run: scenarios/matrix/between_processes.toml run several "
                  "times): a cell whose overhead is within the furthest the pairs of its kind "
                  "(threads of its own, or the calling thread alone) read from 1, as a share of "
                  "direct's time, is within noise");
  cmd->add_option("--json", o->json_out, "also write the explanation as JSON to this file");
  cmd->add_option("--require", o->require,
                  "exit 1 unless every strategy's explained share lies in [SHARE, 2 - SHARE] "
                  "(0.9: 90-110%), over its cells above noise")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--require-cells", o->require_cells,
                  "with --require: also exit 1 unless this fraction of each strategy's cells "
                  "above noise is predicted within +-20% (the bar's second half; 0: off)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--drop", o->drop,
                  "leave this term out of the model (repeatable): the cells that need it must "
                  "then fall short, which shows the term pulls its weight");
  cmd->callback([o, argc, argv] {
    std::ifstream in(o->matrix);
    if (!in) throw ExplainError(o->matrix + ": cannot open");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    check_json_depth(text, o->matrix);
    nlohmann::json matrix;
    try {
      matrix = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
      throw ExplainError(o->matrix + ": not valid JSON: " + e.what());
    }
    MicrobenchCosts costs = MicrobenchCosts::load_dir(o->microbench);
    if (!o->earlier.empty()) costs.add_earlier_reading(o->earlier);
    const Explanation explanation = explain_matrix(
        matrix, costs, o->matrix,
        o->earlier.empty() ? o->microbench
                           : o->microbench + " (earlier reading: " + o->earlier + ")",
        {o->drop.begin(), o->drop.end()},
        o->process_floor.empty() ? ProcessFloor{} : load_process_floor(o->process_floor));
    explanation.print(std::cout);
    if (!o->json_out.empty()) {
      nlohmann::json j = explanation.to_json();
      // The model is code: the commit that computed this file, which may be later than the
      // measurements' (a run can be explained again by a newer model).
      j["environment"] = to_json(capture_environment(argc, argv));
      std::ofstream out(o->json_out);
      out << j.dump(1) << '\n';
      if (!out) throw ExplainError(o->json_out + ": cannot write");
    }
    if (o->require > 0) {
      const std::vector<std::string> short_of =
          explanation.falling_short(o->require, o->require_cells);
      if (short_of.empty()) {
        std::cout << "\nevery strategy explained within the required share\n";
        return;
      }
      std::cerr << "explain --require " << o->require << ": " << short_of.size() << " strateg"
                << (short_of.size() == 1 ? "y falls" : "ies fall") << " short:\n";
      for (const std::string& why : short_of) std::cerr << "  " << why << '\n';
      throw CommandExit{1};
    }
  });
}

}  // namespace sg
