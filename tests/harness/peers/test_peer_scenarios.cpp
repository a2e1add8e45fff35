// Every shipped scenario on small data: each peer that runs here matches direct (our engine on
// one thread) doing the same work, one row per input for the continuous scenarios, and the
// final-rows mode does less and says so.
#include <catch2/catch.hpp>

#include <filesystem>

#include "peer_test_support.h"

using namespace sg;
using namespace sg::test;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// 15,000 records: s3b's 10 ms spacing spans three 1-minute windows.
constexpr uint64_t kRecords = 15'000;

struct ShippedRun {
  Scenario scenario;
  Dataset data;
  std::shared_ptr<const CompiledQuery> query;
  Digest reference;
};

std::vector<ShippedRun> shipped_scenarios() {
  std::vector<ShippedRun> out;
  for (Scenario& s : load_scenarios(std::filesystem::path(STREAMGAUGE_SOURCE_DIR) / "scenarios")) {
    ShippedRun r;
    r.data = generate_dataset(s.generator, kRecords);
    r.query = CompiledQuery::compile(s.sql, r.data.schema);
    r.reference = PeerFixture::digest_of(*r.query, r.data);
    r.scenario = std::move(s);
    out.push_back(std::move(r));
  }
  return out;
}

bool is_continuous(const std::string& scenario) {
  return scenario == "s2_group_by" || scenario == "s3b_tumbling_emit_changes";
}

// Runs `peer` and its final-rows mode on every shipped scenario; false when the peer cannot run
// here at all (its first run said so).
bool check_every_scenario(const std::string& peer) {
  const std::vector<ShippedRun> runs = shipped_scenarios();
  REQUIRE(runs.size() >= 8);
  for (const ShippedRun& r : runs) {
    INFO(peer << " on " << r.scenario.name);
    const PeerRun run = run_peer(peer, r.scenario, *r.query, r.data, r.reference);
    INFO(run.reason);
    if (run.status == PeerStatus::Unavailable && &r == &runs.front()) return false;
    REQUIRE(run.status == PeerStatus::Ok);
    CHECK(run.rows == r.reference.count());
    CHECK(run.work.empty());
    if (is_continuous(r.scenario.name)) {
      CHECK(run.rows == kRecords);  // one row per input, as ours
      CHECK(contains(run.check,
                     "rows equal to streamgauge's output row for row, in order: 15000 rows, ok"));
    } else {
      CHECK(contains(run.check, "rows equal to streamgauge's output: "));
    }

    const PeerRun final_rows = run_peer(peer + "-final", r.scenario, *r.query, r.data, r.reference);
    INFO(final_rows.reason);
    if (!is_continuous(r.scenario.name)) {
      CHECK(final_rows.status == PeerStatus::Unavailable);
      continue;
    }
    REQUIRE(final_rows.status == PeerStatus::Ok);
    CHECK(final_rows.rows < kRecords / 4);
    CHECK(final_rows.work ==
          "less work: final rows only (" + std::to_string(final_rows.rows) + " rows vs 15000)");
  }
  return true;
}

}  // namespace

TEST_CASE("peers: every shipped scenario matches direct on small data, sqlite") {
  CHECK(check_every_scenario("sqlite"));
}

TEST_CASE("peers: every shipped scenario matches direct on small data, duckdb where it runs") {
  if (!check_every_scenario("duckdb")) {
    // Not installed here: the duckdb tests check that it says so clearly.
    WARN("duckdb peer unavailable here: shipped scenarios not run on it");
  }
}
