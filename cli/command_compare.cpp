// `streamgauge compare BASELINE CURRENT`: two matrix results, two Google Benchmark JSON files or
// two instruction-count files, cell by cell. Exit status: 0 no regression, 1 a confirmed
// regression, 2 bad input (unreadable, not a result, two kinds of file) or, unless
// --no-require-overlap, no cell in common; a CI script can tell the three apart.
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

namespace {

struct CompareArgs {
  std::string baseline, current, json_out;
  double threshold = -1, alpha = 0.05;
  bool require_overlap = true;
};

void compare_files(const CompareArgs& o) {
  CompareOptions options;
  if (o.threshold >= 0) options.threshold = o.threshold / 100.0;
  options.alpha = o.alpha;
  SampleSet base = load_sample_set(read_json(o.baseline), o.baseline);
  SampleSet cur = load_sample_set(read_json(o.current), o.current);
  Comparison c = compare(base, cur, options);
  fmt::print("baseline: {}\ncurrent:  {}\n\n{}", o.baseline, o.current, c.to_text());
  if (!o.json_out.empty()) {
    std::ofstream(o.json_out) << c.to_json().dump(1) << '\n';
  }
  if (c.common == 0 && o.require_overlap) {
    fmt::print(std::cerr,
               "error: nothing to compare: none of the baseline's {} cells is in current's {} "
               "(different scenarios or matrices?); --no-require-overlap accepts that\n",
               base.cells.size(), cur.cells.size());
    throw CommandExit{2};
  }
  if (c.regressed()) {
    fmt::print(std::cerr, "regression: {} cell(s) confirmed slower\n", c.count(Verdict::Slower));
    throw CommandExit{1};
  }
}

}  // namespace

void add_compare_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "compare",
      "compare two result files cell by cell (matrix results, Google Benchmark JSON, "
      "or instruction counts); exit 0 no regression, 1 a confirmed regression, 2 bad input or "
      "no cell in common");
  auto o = std::make_shared<CompareArgs>();
  cmd->add_option("baseline", o->baseline, "the reference result file")->required();
  cmd->add_option("current", o->current, "the result file to judge")->required();
  cmd->add_option("--threshold", o->threshold,
                  "practical threshold in percent (default 10 for wall time, 2 for instructions)");
  cmd->add_option("--alpha", o->alpha, "significance level of the Mann-Whitney U test")
      ->capture_default_str();
  cmd->add_option("--json", o->json_out, "also write the comparison as JSON to this file");
  cmd->add_flag("--require-overlap,!--no-require-overlap", o->require_overlap,
                "exit 2 when no cell is in both files (on by default)");
  cmd->callback([o] {
    try {
      compare_files(*o);
    } catch (const CommandExit&) {
      throw;
    } catch (const std::exception& e) {
      fmt::print(std::cerr, "error: {}\n", e.what());
      throw CommandExit{2};
    }
  });
}

}  // namespace sg
