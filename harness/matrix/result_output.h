// A matrix result written out: the JSON and CSV files, and the table printed at the end of a run.
#pragma once

#include <iosfwd>
#include <string>

#include <nlohmann/json.hpp>

#include "harness/matrix/matrix_result.h"

namespace sg {

nlohmann::json to_json(const MatrixResult& result);
// One row per cell, the summary columns (for spreadsheets and scripts).
std::string to_csv(const MatrixResult& result);
// The cell table, the scenario x strategy grids, the peers' checks and what was skipped.
void print_matrix_table(const MatrixResult& result, std::ostream& out);

}  // namespace sg
