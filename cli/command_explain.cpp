// `streamgauge explain MATRIX.json --microbench DIR [--json OUT]`: how much of each strategy's
// measured overhead over direct the microbenched components account for (harness/analysis/overhead_model.h).
#include <fstream>
#include <iostream>
#include <iterator>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "harness/analysis/overhead_model.h"
#include "harness/job/json_depth.h"

namespace sg {

void add_explain_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "explain",
      "predict each strategy's overhead over direct from the microbenches x the run's counts, "
      "and show what stays unexplained");
  struct Options {
    std::string matrix, microbench, json_out;
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("matrix", o->matrix, "a matrix result (streamgauge matrix ... --out FILE)")
      ->required();
  cmd->add_option("--microbench", o->microbench,
                  "folder of Google Benchmark JSON (scripts/microbench --out DIR)")
      ->required();
  cmd->add_option("--json", o->json_out, "also write the explanation as JSON to this file");
  cmd->callback([o] {
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
    const MicrobenchCosts costs = MicrobenchCosts::load_dir(o->microbench);
    const Explanation explanation = explain_matrix(matrix, costs, o->matrix, o->microbench);
    explanation.print(std::cout);
    if (!o->json_out.empty()) {
      std::ofstream out(o->json_out);
      out << explanation.to_json().dump(1) << '\n';
      if (!out) throw ExplainError(o->json_out + ": cannot write");
    }
  });
}

}  // namespace sg
