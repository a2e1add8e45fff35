// `streamgauge compare BASELINE CURRENT`: two matrix results, two Google Benchmark JSON files or
// two instruction-count files, cell by cell. Exits 1 on a confirmed regression.
#include <fstream>
#include <iostream>
#include <iterator>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "harness/analysis/compare.h"
#include "harness/job/json_depth.h"

namespace sg {

static nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot open");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  check_json_depth(text, path);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw std::runtime_error(path + ": not valid JSON: " + e.what());
  }
}

void add_compare_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "compare",
      "compare two result files cell by cell (matrix results, Google Benchmark JSON, "
      "or instruction counts); exit 1 on a confirmed regression");
  struct Options {
    std::string baseline, current, json_out;
    double threshold = -1, alpha = 0.05;
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("baseline", o->baseline, "the reference result file")->required();
  cmd->add_option("current", o->current, "the result file to judge")->required();
  cmd->add_option("--threshold", o->threshold,
                  "practical threshold in percent (default 10 for wall time, 2 for instructions)");
  cmd->add_option("--alpha", o->alpha, "significance level of the Mann-Whitney U test")
      ->capture_default_str();
  cmd->add_option("--json", o->json_out, "also write the comparison as JSON to this file");
  cmd->callback([o] {
    CompareOptions options;
    if (o->threshold >= 0) options.threshold = o->threshold / 100.0;
    options.alpha = o->alpha;
    SampleSet base = load_sample_set(read_json(o->baseline), o->baseline);
    SampleSet cur = load_sample_set(read_json(o->current), o->current);
    Comparison c = compare(base, cur, options);
    fmt::print("baseline: {}\ncurrent:  {}\n\n{}", o->baseline, o->current, c.to_text());
    if (!o->json_out.empty()) {
      std::ofstream(o->json_out) << c.to_json().dump(1) << '\n';
    }
    if (c.regressed()) {
      fmt::print(std::cerr, "regression: {} cell(s) confirmed slower\n", c.count(Verdict::Slower));
      throw CommandExit{1};
    }
  });
}

}  // namespace sg
