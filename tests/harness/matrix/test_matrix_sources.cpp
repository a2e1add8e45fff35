#include <catch2/catch.hpp>

#include <set>
#include <sstream>

#include "engine/query.h"
#include "harness/matrix/environment.h"
#include "harness/matrix/matrix.h"
#include "harness/matrix/matrix_runner.h"
#include "harness/matrix/result_output.h"

using namespace sg;

namespace {

std::vector<Scenario> shipped() {
  return load_scenarios(std::filesystem::path(STREAMGAUGE_SOURCE_DIR) / "scenarios");
}

}  // namespace

TEST_CASE("matrix: sources vary every strategy, each compared with direct on its own source") {
  const std::vector<Scenario> all = shipped();
  const MatrixSpec spec = parse_matrix(
      "name='m'\nscenarios=['s2_group_by']\nstrategies=['direct', 'adaptive']\n"
      "sources=['lent', 'materialized']\nrecords=[500]\nrepetitions=1\nwarmup=0\ncell_budget_s=0\n",
      "m.toml", all, false);
  const MatrixResult r = run_matrix(spec, all, capture_environment(0, nullptr), {});
  REQUIRE(r.cells.size() == 4);
  std::set<std::string> ids;
  for (const CellResult& c : r.cells) {
    INFO(c.cell.id() << ": " << c.reason);
    REQUIRE(c.status == CellStatus::Ok);  // every pass checked against direct on the lent source
    ids.insert(c.cell.id());
    const bool materialized = c.cell.config.source == SourceKind::Materialized;
    REQUIRE((c.cell.id().find("/src-materialized") != std::string::npos) == materialized);
    REQUIRE((c.cell.baseline_id().find("/src-materialized") != std::string::npos) == materialized);
    REQUIRE(ids.count(c.cell.baseline_id()) == 1);  // direct comes first, on the same source
  }
  REQUIRE(ids.count("s2_group_by/direct/sql/b1000/p1/n500") == 1);  // lent keeps its id
  REQUIRE(ids.count("s2_group_by/direct/sql/b1000/p1/n500/src-materialized") == 1);
  // The summary table gives each source its own column, rather than one over the other.
  std::ostringstream table;
  print_matrix_table(r, table);
  REQUIRE_THAT(table.str(), Catch::Contains(" direct ") && Catch::Contains("direct materialized") &&
                                Catch::Contains("adaptive materialized"));
  REQUIRE_THROWS_WITH(parse_matrix("name='m'\nscenarios=['*']\nstrategies=['direct']\n"
                                   "sources=['kafka']\n",
                                   "m.toml", all, false),
                      Catch::Contains("unknown source 'kafka'; known: lent, shared, materialized"));
}

TEST_CASE("matrix: every shipped scenario under every strategy and source gives direct's output") {
  const std::vector<Scenario> all = shipped();
  const MatrixSpec spec = parse_matrix(
      "name='m'\nscenarios=['*']\nstrategies=['*']\npartitions=[1, 2]\n"
      "sources=['lent', 'shared', 'materialized']\nrecords=[400]\nrepetitions=1\nwarmup=0\n"
      // One checked and one timed pass per cell (no pairs beyond it, no instrumented ones): this
      // test is about output, and runs under ThreadSanitizer too.
      "cell_budget_s=0\ninstrumented_repetitions=0\n",
      "m.toml", all, false);
  const MatrixResult r = run_matrix(spec, all, capture_environment(0, nullptr), {});
  size_t ok = 0;
  for (const CellResult& c : r.cells) {
    INFO(c.cell.id() << ": " << c.reason);
    // Each pass's digest is checked against direct's on the lent source (the reference).
    REQUIRE(c.status != CellStatus::Failed);
    ok += c.status == CellStatus::Ok;
  }
  REQUIRE(ok >= all.size() * 3 * 6);  // at least six strategy cells per scenario and source
}
