// Where a matrix result goes (the JSON, the CSV and the journal beside it), settled and
// test-written before any data is generated, so that a path that cannot be written stops the run
// at once instead of after it, and no earlier result is ever replaced by accident.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace sg {

class OutputPathError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ResultPaths {
  std::filesystem::path json, csv, journal;
};

// x.json -> x.json, x.csv, x.journal.jsonl
ResultPaths result_paths_beside(const std::filesystem::path& json);

// results/NAME-YYYYmmdd-HHMMSS-mmm-PID.json (local time to the millisecond, then the process
// id), with -2, -3... added while such a result or its journal exists: two runs never share one.
std::filesystem::path default_result_path(const std::string& name,
                                          const std::filesystem::path& folder = "results");

// Creates the folder and test-writes the JSON and the CSV (a file created here is removed again).
// An existing file is refused unless `replace` says it may go (--force); `own_interrupted` lets
// through the interrupted result (and its CSV) that a resumed run completes.
// Throws OutputPathError naming the path and the reason.
void prepare_result_paths(const ResultPaths& paths, bool replace, bool own_interrupted = false);

// True when `json` holds a matrix result marked interrupted.
bool is_interrupted_result(const std::filesystem::path& json);

}  // namespace sg
