// The sqlite peer on small generated data: each kind of query agrees with our engine, and a
// wrong comparison fails loudly with the first difference.
#include <catch2/catch.hpp>

#include "peer_test_support.h"

using namespace sg;
using namespace sg::test;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("sqlite peer: a filter and projection equals our output") {
  PeerFixture f("SELECT id, k, x * 2 AS twice, n % 7 FROM t WHERE x > 0.5 AND n IS NOT NULL");
  const PeerRun run = f.run("sqlite");
  INFO(run.reason);
  REQUIRE(run.status == PeerStatus::Ok);
  CHECK(run.rows == f.reference.count());
  CHECK(run.rows > 500);
  CHECK(run.sql == "SELECT id, k, x * 2 AS twice, n % 7 FROM t WHERE x > 0.5 AND n IS NOT NULL");
  CHECK(run.check == "rows equal to streamgauge's output: " + std::to_string(run.rows) +
                         " rows, ok (floats to 9 significant digits)");
  CHECK_FALSE(run.timed.empty());
}

TEST_CASE("sqlite peer: GROUP BY EMIT FINAL equals our final rows") {
  PeerFixture f(
      "SELECT k, COUNT(*) AS cnt, SUM(x) AS total, AVG(x), MIN(n), MAX(n), COUNT(n) FROM t "
      "GROUP BY k EMIT FINAL");
  const PeerRun run = f.run("sqlite");
  INFO(run.reason);
  REQUIRE(run.status == PeerStatus::Ok);
  CHECK(run.rows == 5);
  CHECK(contains(run.check, "rows equal to streamgauge's output: 5 rows, ok"));
}

TEST_CASE("sqlite peer: a continuous GROUP BY equals our output row for row, in order") {
  PeerFixture f(
      "SELECT k, n, COUNT(*) AS cnt, SUM(x) AS total, AVG(n), MIN(x), MAX(k) FROM t "
      "GROUP BY k, n");
  const PeerRun run = f.run("sqlite");
  INFO(run.reason);
  REQUIRE(run.status == PeerStatus::Ok);
  CHECK(run.rows == f.reference.count());  // one row per input, as ours
  CHECK(run.rows == 2000);
  CHECK(run.mode == "same-work");
  CHECK(run.work.empty());
  CHECK(contains(run.check, "rows equal to streamgauge's output row for row, in order: 2000 rows"));
  CHECK(contains(run.check, "continuous GROUP BY as window functions over the arrival order"));
}

TEST_CASE("sqlite peer: HAVING keeps our semantics: the rows it rejects are not emitted") {
  // Early rows of each group fail COUNT(*) > 3, and the groups of K1 never pass.
  PeerFixture f(
      "SELECT k, COUNT(*) AS cnt, SUM(n) AS s FROM t WHERE x < 0.9 GROUP BY k "
      "HAVING COUNT(*) > 3 AND k <> 'K1'");
  const PeerRun run = f.run("sqlite");
  INFO(run.reason);
  REQUIRE(run.status == PeerStatus::Ok);
  CHECK(run.rows == f.reference.count());
  CHECK(run.rows > 1000);
  CHECK(run.rows < 1600);  // WHERE keeps about 1800, HAVING drops K1 (a fifth) and early rows
  CHECK(contains(run.check, "row for row, in order"));
}

TEST_CASE("sqlite peer: final-rows mode computes less, and says so") {
  PeerFixture f("SELECT k, n, COUNT(*) AS cnt, SUM(x) AS total FROM t GROUP BY k, n");
  const PeerRun run = f.run("sqlite-final");
  INFO(run.reason);
  REQUIRE(run.status == PeerStatus::Ok);
  CHECK(run.rows < f.reference.count());  // one row per group, not one per record
  CHECK(run.mode == "final-rows");
  CHECK(run.work == "less work: final rows only (" + std::to_string(run.rows) + " rows vs 2000)");
  CHECK(contains(run.check, run.work + "; rows equal to streamgauge's final row per group: "));
  CHECK(contains(run.check, "continuous GROUP BY: the batch peer computes each group's final row"));

  // A query whose output is final already has no final-rows mode.
  PeerFixture filter("SELECT id FROM t WHERE x > 0.5");
  const PeerRun none = filter.run("sqlite-final");
  CHECK(none.status == PeerStatus::Unavailable);
  CHECK(contains(none.reason,
                 "Unavailable: sqlite-final peer: final-rows mode is for continuous "
                 "outputs"));
}

TEST_CASE("sqlite peer: ROWS windows equal ours, with and without PARTITION BY") {
  for (const char* sql :
       {"SELECT id, k, AVG(x) OVER (ROWS WINDOW BUFFER 10 ROWS PARTITION BY k ORDER BY ts) AS a, "
        "MIN(n) OVER (ROWS WINDOW BUFFER 10 ROWS PARTITION BY k ORDER BY ts) AS lo FROM t",
        "SELECT id, SUM(x) OVER (ROWS WINDOW BUFFER 3 ROWS) AS s, COUNT(n) OVER (ROWS WINDOW "
        "BUFFER 3 ROWS) AS c FROM t WHERE n > 0"}) {
    PeerFixture f(sql);
    const PeerRun run = f.run("sqlite");
    INFO(sql << "\n" << run.reason);
    REQUIRE(run.status == PeerStatus::Ok);
    CHECK(run.rows == f.reference.count());
    CHECK(contains(run.check, "rows equal to streamgauge's output"));
  }
}

TEST_CASE("sqlite peer: tumbling windows, EMIT FINAL and EMIT CHANGES, equal ours") {
  // 2000 records 37 ms apart: 74 s of data, two 1-minute windows (and 5 keys).
  PeerFixture final_rows(
      "SELECT k, COUNT(*) AS cnt, SUM(n) AS s, AVG(x) AS a FROM t GROUP BY k WINDOW TUMBLING "
      "(ts, INTERVAL '1' MINUTE)");
  PeerRun run = final_rows.run("sqlite");
  INFO(run.reason);
  REQUIRE(run.status == PeerStatus::Ok);
  CHECK(run.rows == final_rows.reference.count());
  CHECK(run.rows >= 10);
  CHECK(contains(run.check, "rows equal to streamgauge's output"));

  // EMIT CHANGES over 8 windows of 10 s: one row per input; each window starts its groups
  // afresh, which only the window's bucket in PARTITION BY gives.
  PeerFixture changes(
      "SELECT k, COUNT(*) AS cnt, MAX(x) AS hi, SUM(n) AS s FROM t GROUP BY k WINDOW TUMBLING(10s) "
      "EMIT CHANGES");
  run = changes.run("sqlite");
  INFO(run.reason);
  REQUIRE(run.status == PeerStatus::Ok);
  CHECK(run.rows == changes.reference.count());
  CHECK(run.rows == 2000);
  CHECK(contains(run.check, "rows equal to streamgauge's output row for row, in order: "));

  run = changes.run("sqlite-final");
  INFO(run.reason);
  REQUIRE(run.status == PeerStatus::Ok);
  CHECK(run.rows < changes.reference.count());
  CHECK(contains(run.check, "rows equal to streamgauge's final row per group and window: "));
}

TEST_CASE("sqlite peer: EMIT CHANGES on out-of-order records within the lateness equals ours") {
  // Times pulled back by up to 5 s, windows of 1 s kept open 6 s: records land in older windows
  // that are still open, and none is late.
  PeerFixture f(
      "SELECT k, COUNT(*) AS cnt, SUM(n) AS s FROM t GROUP BY k WINDOW TUMBLING (ts, INTERVAL "
      "'1' SECOND) ALLOWED LATENESS INTERVAL '6' SECOND EMIT CHANGES",
      2000, 7, /*disorder_ms=*/5000);
  const PeerRun run = f.run("sqlite");
  INFO(run.reason);
  REQUIRE(run.status == PeerStatus::Ok);
  CHECK(run.rows == 2000);
  CHECK(contains(run.check, "rows equal to streamgauge's output row for row, in order: 2000 rows"));
}

TEST_CASE("sqlite peer: EMIT CHANGES on late records is unavailable, not something else") {
  // Times pulled back by up to 5 s against 1 s windows: our engine drops late records, which
  // the window-function translation does not model.
  PeerFixture f(
      "SELECT k, COUNT(*) AS cnt FROM t GROUP BY k WINDOW TUMBLING (ts, INTERVAL '1' "
      "SECOND) EMIT CHANGES",
      2000, 7, /*disorder_ms=*/5000);
  const PeerRun run = f.run("sqlite");
  CHECK(run.status == PeerStatus::Unavailable);
  CHECK(contains(run.reason, "Unavailable: sqlite peer: streamgauge dropped "));
  CHECK(contains(run.reason,
                 " late records, which the window-function translation does not "
                 "model"));
}

TEST_CASE("sqlite peer: the data is loaded once and reused across passes") {
  PeerFixture f("SELECT k, COUNT(*) FROM t GROUP BY k EMIT FINAL");
  const PeerRun first = f.run("sqlite");
  const PeerRun second = f.run("sqlite");
  REQUIRE(first.status == PeerStatus::Ok);
  REQUIRE(second.status == PeerStatus::Ok);
  CHECK(first.load_ns == second.load_ns);  // the same load, reported for every pass
  CHECK(first.rows == second.rows);
}

TEST_CASE("sqlite peer: a reference from other data fails the check") {
  PeerFixture f("SELECT k, COUNT(*) AS cnt FROM t GROUP BY k EMIT FINAL");
  const PeerFixture other("SELECT k, COUNT(*) AS cnt FROM t GROUP BY k EMIT FINAL", 2000, 8);
  const PeerRun run = run_peer("sqlite", f.scenario, *f.query, f.data, other.reference);
  CHECK(run.status != PeerStatus::Unavailable);
  CHECK(run.status == PeerStatus::Failed);
  CHECK(contains(run.reason, "the reference comes from other data or another query"));
}

TEST_CASE("sqlite peer: rows that differ from ours fail with the first difference") {
  // The peer runs the scenario's SQL, our engine the compiled query: make them disagree.
  PeerFixture f("SELECT id, x FROM t WHERE x > 0.5");
  f.scenario.sql = "SELECT id, x FROM t WHERE x > 0.6";
  PeerRun run = f.run("sqlite");
  CHECK(run.status == PeerStatus::Failed);
  CHECK(contains(run.reason, "sqlite peer: rows differ from streamgauge's output: "));
  CHECK(contains(run.reason, "first row only streamgauge has: ["));

  // Same row count, different values.
  PeerFixture g("SELECT k, COUNT(*) AS cnt FROM t GROUP BY k EMIT FINAL");
  g.scenario.sql = "SELECT k, COUNT(*) + 1 AS cnt FROM t GROUP BY k EMIT FINAL";
  run = g.run("sqlite");
  CHECK(run.status == PeerStatus::Failed);
  CHECK(contains(run.reason, "first differing row: streamgauge [K"));

  // Row for row: the first position where the running rows part, and the counts.
  PeerFixture h("SELECT k, COUNT(*) AS cnt FROM t GROUP BY k");
  h.scenario.sql = "SELECT k, COUNT(*) + 1 AS cnt FROM t GROUP BY k";
  run = h.run("sqlite");
  CHECK(run.status == PeerStatus::Failed);
  CHECK(contains(run.reason,
                 "sqlite peer: rows differ from streamgauge's output row for row, in "
                 "order: output row 1 differs: streamgauge [K"));
  CHECK(contains(run.reason, ", 1], sqlite [K"));
  h.scenario.sql = "SELECT k, COUNT(*) AS cnt FROM t WHERE id <> 5 GROUP BY k";
  run = h.run("sqlite");
  CHECK(run.status == PeerStatus::Failed);
  CHECK(contains(run.reason, "order: 1999 rows from sqlite, 2000 from streamgauge; output row "));
}

TEST_CASE("sqlite peer: unknown peers are unavailable, bad SQL fails") {
  PeerFixture f("SELECT id FROM t");
  PeerRun run = f.run("postgres");
  CHECK(run.status == PeerStatus::Unavailable);
  CHECK(run.reason ==
        "unknown peer 'postgres' (known: sqlite, duckdb, sqlite-final, duckdb-final)");
  f.scenario.sql = "SELECT id FROM";
  run = f.run("sqlite");
  CHECK(run.status == PeerStatus::Failed);
  CHECK(contains(run.reason, "sqlite peer: the scenario's SQL does not parse: 1:"));
}
