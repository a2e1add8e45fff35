// A scenario: SQL, the data to run it on and how to check the result, read from a TOML file in
// scenarios/. A user adds a scenario by adding a file; nothing is compiled in.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/workload/generator.h"

namespace sg {

// A malformed scenario or matrix file. The message starts with "FILE:LINE:COLUMN:" where the
// TOML parser knows the place, "FILE:" otherwise, and names the key.
class ConfigError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ScenarioCheck {
  // Every timed pass is compared with the direct strategy's digest on the same data.
  bool same_as_direct = true;
  // Optional absolute expectations, for scenarios whose output is known in advance.
  std::optional<uint64_t> expected_rows;
  std::optional<std::string> expected_digest;  // hex, as Digest::hex() prints it
};

// A figure the seed documents published for this scenario: shown beside ours, never as ours.
struct SeedFigure {
  std::string label;
  double records_per_second = 0;
  std::string source;
};

struct Scenario {
  std::string name;
  std::string description;
  std::string sql;
  uint64_t records = 0;                 // default record count
  std::vector<uint64_t> record_counts;  // counts a sweep runs (empty: just `records`)
  GeneratorSpec generator;
  ScenarioCheck check;
  std::vector<SeedFigure> seed_figures;
  std::filesystem::path file;
};

Scenario load_scenario(const std::filesystem::path& file);
// Every *.toml directly in `dir` (the matrix/ subfolder is not scenarios), sorted by name.
// Throws ConfigError on the first bad file, or on two files with the same scenario name.
std::vector<Scenario> load_scenarios(const std::filesystem::path& dir);
// The scenarios folder of this checkout: $STREAMGAUGE_SCENARIOS, else ./scenarios, else the
// source tree's, so the command works from the build folder too.
std::filesystem::path default_scenario_dir();

}  // namespace sg
