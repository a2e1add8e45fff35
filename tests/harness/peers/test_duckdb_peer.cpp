// The duckdb peer: where node and @duckdb/node-api are installed it must agree with our engine;
// where they are not it must say so clearly. Both cases assert; the missing-node and
// missing-package messages are checked everywhere by pointing the peer at places that lack them.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "peer_test_support.h"
#include "temp_dir.h"

using namespace sg;
using namespace sg::test;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

bool is_unavailable_reason(const std::string& reason) {
  return reason.rfind("duckdb peer: node not found", 0) == 0 ||
         (reason.rfind("duckdb peer: @duckdb/node-api not installed in ", 0) == 0 &&
          contains(reason, "(run scripts/setup)"));
}

}  // namespace

TEST_CASE("duckdb peer: agrees with our engine, or says clearly why it cannot run") {
  const char* queries[] = {
      "SELECT id, k, x * 2 AS twice, n / 3 AS third FROM t WHERE x > 0.5",
      "SELECT k, COUNT(*) AS cnt, SUM(n) AS s, AVG(x) AS a, MIN(x), MAX(k) FROM t GROUP BY k "
      "EMIT FINAL",
      "SELECT k, n, COUNT(*) AS cnt, SUM(x) AS total FROM t GROUP BY k, n",
      "SELECT id, k, AVG(x) OVER (ROWS WINDOW BUFFER 10 ROWS PARTITION BY k ORDER BY ts) AS a "
      "FROM t",
      "SELECT k, COUNT(*) AS cnt, SUM(n) AS s FROM t GROUP BY k WINDOW TUMBLING (ts, INTERVAL "
      "'1' MINUTE)",
      "SELECT k, COUNT(*) AS cnt FROM t GROUP BY k WINDOW TUMBLING(10s) EMIT CHANGES",
  };
  for (const char* sql : queries) {
    PeerFixture f(sql);
    const PeerRun run = f.run("duckdb");
    INFO(sql << "\n" << run.reason);
    if (run.status == PeerStatus::Unavailable) {
      CHECK(is_unavailable_reason(run.reason));
      continue;
    }
    REQUIRE(run.status == PeerStatus::Ok);
    CHECK(contains(run.check, "rows equal to streamgauge's "));
    CHECK(contains(run.timed, "inside DuckDB's process"));
    CHECK(run.rows > 0);
  }
}

TEST_CASE("duckdb peer: rows that differ from ours fail the check (when DuckDB runs)") {
  PeerFixture f("SELECT k, COUNT(*) AS cnt FROM t GROUP BY k EMIT FINAL");
  f.scenario.sql = "SELECT k, COUNT(*) + 1 AS cnt FROM t GROUP BY k EMIT FINAL";
  const PeerRun run = f.run("duckdb");
  INFO(run.reason);
  if (run.status == PeerStatus::Unavailable) {
    CHECK(is_unavailable_reason(run.reason));
  } else {
    CHECK(run.status == PeerStatus::Failed);
    CHECK(contains(run.reason,
                   "duckdb peer: rows differ from streamgauge's output: first "
                   "differing row: streamgauge [K"));
  }
}

TEST_CASE("duckdb peer: without node it is unavailable, naming node") {
  ScopedEnv node("STREAMGAUGE_NODE", "/nonexistent/node");
  PeerFixture f("SELECT id FROM t");
  const PeerRun run = f.run("duckdb");
  CHECK(run.status == PeerStatus::Unavailable);
  CHECK(run.reason ==
        "duckdb peer: node not found (STREAMGAUGE_NODE=/nonexistent/node is not an executable "
        "file)");
}

TEST_CASE("duckdb peer: without the npm package it is unavailable, naming scripts/setup") {
  TempDir empty;
  ScopedEnv dir("STREAMGAUGE_DUCKDB_DIR", empty.file(""));
  PeerFixture f("SELECT id FROM t");
  const PeerRun run = f.run("duckdb");
  CHECK(run.status == PeerStatus::Unavailable);
  // Either node itself is missing here, or the package is: both say what to do.
  CHECK(is_unavailable_reason(run.reason));
}

TEST_CASE("duckdb peer: a folder on PATH it cannot look into counts as absent") {
  // Unreadable for everyone, root included: a symlink loop (ELOOP) and a name past PATH_MAX
  // (ENAMETOOLONG); status() threw "filesystem error: status: ..." on both, and on the
  // permission-denied folder below, which only a non-root user cannot enter.
  TempDir dir;
  std::filesystem::create_symlink(dir.file("loop"), dir.file("loop"));
  std::filesystem::create_directory(dir.file("locked"));
  std::filesystem::create_directory(dir.file("locked/inner"));
  std::filesystem::permissions(dir.file("locked"), std::filesystem::perms::none);
  const std::string too_long = "/" + std::string(5000, 'x');
  const std::string path = dir.file("loop") + ":" + too_long + ":" + dir.file("locked/inner");
  ScopedEnv no_node_override("STREAMGAUGE_NODE", "");
  unsetenv("STREAMGAUGE_NODE");
  ScopedEnv only_bad_folders("PATH", path);
  PeerFixture f("SELECT id FROM t");
  PeerRun run;
  std::string thrown;
  try {
    run = f.run("duckdb");
  } catch (const std::exception& e) {
    thrown = e.what();
  }
  std::filesystem::permissions(dir.file("locked"), std::filesystem::perms::owner_all);
  INFO(thrown << run.reason);
  REQUIRE(thrown.empty());
  CHECK(run.status == PeerStatus::Unavailable);
  CHECK(run.reason == "duckdb peer: node not found (install Node.js, then run scripts/setup)");
}
