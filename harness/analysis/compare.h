// Compares two result files cell by cell and says, for each, faster / slower / same / unstable.
//
// A regression gate on a shared 2-core machine must neither cry wolf nor miss a 10% slowdown, so
// a wall-time verdict needs both a practical threshold (the median moved by at least 10%) and
// statistical evidence (a Mann-Whitney U test over the repetitions); a spread too wide to judge
// is said as such ("unstable"), never reported as a change. Instruction counts from callgrind are
// deterministic, so that mode needs no statistics and uses a tight threshold (2%). It also
// ratchets: a cell counting more than 0.5% fewer instructions than its baseline marks the
// baseline stale, since a stale baseline silently widens the 2% gate (a cell 0.7% cheaper than
// its baseline could then get 2.7% slower unnoticed); scripts/check-regression fails on it.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/analysis/significance.h"

namespace sg {

enum class Verdict { Faster, Slower, Same, Unstable, OnlyBaseline, OnlyCurrent };
const char* verdict_name(Verdict v);

// What a result file holds, per cell: samples of a cost where lower is better (ns of wall time,
// or instructions).
struct SampleSet {
  std::string kind;  // "wall_ns" (matrix results, Google Benchmark JSON) or "instructions"
  std::string source;  // "matrix result", "Google Benchmark JSON" or "instruction counts"
  std::map<std::string, std::vector<double>> cells;
};

// Reads a streamgauge matrix result (wall time of each timed repetition), a Google Benchmark
// JSON file (real time of each repetition, per benchmark), or a streamgauge instruction-count
// file. Throws std::runtime_error naming the file for anything else.
SampleSet load_sample_set(const nlohmann::json& doc, const std::string& name);

struct CompareOptions {
  double threshold = -1;  // fraction; < 0: 0.10 for wall time, 0.02 for instructions
  double alpha = 0.05;    // significance level of the rank test
  size_t min_samples = 4; // fewer repetitions than this cannot show significance: unstable
  double stale = -1;      // fraction; < 0: 0.005 for instructions, never for wall time
};

struct CellComparison {
  std::string id;
  double baseline_median = 0;
  double current_median = 0;
  double ratio = 0;  // current / baseline: > 1 is slower
  double spread = 0; // the larger coefficient of variation of the two sides
  MannWhitney test;
  Verdict verdict = Verdict::Same;
  std::string note;  // why, for unstable and missing cells
  bool stale = false; // cheaper than the baseline by more than the stale fraction
};

struct Comparison {
  std::string kind;
  double threshold = 0;
  double stale_threshold = 0;  // 0: no ratchet (wall time)
  std::vector<CellComparison> cells;
  double geomean_ratio = 1;  // over cells present on both sides
  size_t common = 0;         // cells present on both sides
  size_t count(Verdict v) const;
  bool regressed() const { return count(Verdict::Slower) > 0; }
  std::vector<std::string> stale_cells() const;  // the cells whose baseline needs a refresh
  std::string to_text() const;
  nlohmann::json to_json() const;
};

// Two files that cannot be compared (different kinds or sources): `compare` exits 2 on it.
class CompareInputError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Throws CompareInputError when the two sets are of different kinds or sources (a Google
// Benchmark file's ids never name a matrix cell, so their "comparison" would be empty).
Comparison compare(const SampleSet& baseline, const SampleSet& current, CompareOptions options = {});

}  // namespace sg
