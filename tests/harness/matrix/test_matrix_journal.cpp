#include <algorithm>
#include <catch2/catch.hpp>

#include <csignal>
#include <fstream>
#include <thread>

#include "harness/matrix/interruption.h"
#include "harness/matrix/matrix_journal.h"
#include "harness/matrix/matrix_runner.h"
#include "harness/matrix/progress_estimate.h"
#include "harness/matrix/sample_json.h"
#include "id_key_scenario.h"
#include "temp_dir.h"

using namespace sg;

namespace {

Scenario keyed_scenario() {
  return sg::test::id_key_scenario("keyed", "SELECT k, COUNT(*) AS n FROM t GROUP BY k", 400, 5, 9);
}

// direct plus two strategies that run one engine per pass, two repetitions, no warm-up, and no
// pairs beyond the repetitions (cell_budget_s=0), so the passes journalled are counted exactly.
MatrixSpec keyed_spec(const std::vector<Scenario>& all) {
  return parse_matrix(
      "name='m'\nscenarios=['*']\nstrategies=['direct','batch_lock','per_record_lock']\n"
      "batch_sizes=[32]\nrepetitions=2\nwarmup=0\ncell_budget_s=0\n",
      "m.toml", all, false);
}

std::vector<std::string> ids(const MatrixResult& r) {
  std::vector<std::string> v;
  for (const CellResult& c : r.cells) v.push_back(c.cell.id());
  return v;
}

}  // namespace

TEST_CASE("a stop asked for during a pass ends the matrix after it, and a resume finishes it") {
  sg::test::TempDir dir;
  const std::vector<Scenario> all = {keyed_scenario()};
  const MatrixSpec spec = keyed_spec(all);
  const MatrixResult whole = run_matrix(spec, all, capture_environment(0, nullptr), {});

  // Engines of direct are not wrapped, so the wrapped ones are batch_lock's and per_record_lock's:
  // their checked passes (1, 2), their first pairs with direct (3, 4), then round two. The signal
  // arrives during the first wrapped pass of round two: that pair finishes, and with it its cell;
  // the cells after it in the round do not, with one of their two passes each.
  const auto journal_file = std::filesystem::path(dir.file("r.journal.jsonl"));
  auto journal = MatrixJournal::open(journal_file, false);
  MatrixRunOptions options;
  options.journal = journal.get();
  options.result_path = (std::filesystem::path(dir.file("r.json"))).string();
  int wrapped = 0;
  options.wrap_engine = [&](std::unique_ptr<Engine> e, int) {
    if (++wrapped == 5) request_stop(SIGINT);
    return e;
  };
  clear_stop_request();
  MatrixResult stopped = run_matrix(spec, all, capture_environment(0, nullptr), options);
  clear_stop_request();
  journal.reset();

  REQUIRE(stopped.interrupted_by == SIGINT);
  REQUIRE(ids(stopped) == ids(whole));
  size_t finished = 0;
  for (const CellResult& c : stopped.cells) {
    if (c.status == CellStatus::Ok) {
      ++finished;
      REQUIRE(c.samples.size() == 2);
    } else {
      REQUIRE(c.status == CellStatus::NotRun);
      REQUIRE_THAT(c.reason, Catch::Contains("interrupted after 1 of 2"));
    }
  }
  REQUIRE(finished >= 1);
  REQUIRE(stopped.count(CellStatus::NotRun) >= 1);

  // Resumed: every journaled pass restored exactly, only the missing ones run.
  const JournalContents contents = read_journal(journal_file);
  REQUIRE(contents.header["cells"].get<std::vector<std::string>>() == ids(whole));
  // One line per pass of direct and per pair: round one's three, then round two's finished cells.
  REQUIRE(contents.passes.size() == 3 + finished);
  auto append = MatrixJournal::open(journal_file, true);
  MatrixRunOptions resume;
  resume.journal = append.get();
  resume.resume = &contents;
  MatrixResult resumed = run_matrix(spec, all, capture_environment(0, nullptr), resume);
  REQUIRE(resumed.interrupted_by == 0);
  REQUIRE(resumed.restored_passes == contents.passes.size());
  REQUIRE(ids(resumed) == ids(whole));
  for (size_t i = 0; i < resumed.cells.size(); ++i) {
    const CellResult& c = resumed.cells[i];
    REQUIRE(c.status == CellStatus::Ok);
    REQUIRE(c.samples.size() == 2);
    if (stopped.cells[i].status == CellStatus::Ok) {
      for (size_t s = 0; s < 2; ++s)
        REQUIRE(c.samples[s].to_json() == stopped.cells[i].samples[s].to_json());
    }
  }
}

TEST_CASE("each pair carries the cross-core probe taken before it, through journal and resume") {
  sg::test::TempDir dir;
  const std::vector<Scenario> all = {keyed_scenario()};
  const auto file = std::filesystem::path(dir.file("j.jsonl"));
  MatrixResult probed;
  int calls = 0;
  {
    auto journal = MatrixJournal::open(file, false);
    MatrixRunOptions options;
    options.journal = journal.get();
    options.probe_line_round_trip = true;
    // A counting stand-in for the probe: the k-th call returns k, so the test reads which call
    // each pair kept, not a measured figure.
    options.line_probe = [&calls] { return double(++calls); };
    probed = run_matrix(keyed_spec(all), all, capture_environment(0, nullptr), options);
  }
  size_t paired_cells = 0;
  std::vector<double> kept;
  for (const CellResult& c : probed.cells) {
    if (!c.paired) continue;
    ++paired_cells;
    REQUIRE(c.paired->line_rt_ns.size() == c.paired->cell_ns.size());
    kept.insert(kept.end(), c.paired->line_rt_ns.begin(), c.paired->line_rt_ns.end());
  }
  REQUIRE(paired_cells == 2);
  // One call before each pair, each pair keeping its own (the cells' pairs interleave).
  std::sort(kept.begin(), kept.end());
  REQUIRE(kept.size() == size_t(calls));
  for (size_t i = 0; i < kept.size(); ++i) CHECK(kept[i] == double(i + 1));

  // Resumed from a journal that has every pass: the pairs come back with their probes.
  const JournalContents contents = read_journal(file);
  MatrixRunOptions resume;
  resume.resume = &contents;
  const MatrixResult resumed =
      run_matrix(keyed_spec(all), all, capture_environment(0, nullptr), resume);
  REQUIRE(resumed.cells.size() == probed.cells.size());
  for (size_t i = 0; i < resumed.cells.size(); ++i) {
    if (!probed.cells[i].paired) continue;
    REQUIRE(resumed.cells[i].paired);
    CHECK(resumed.cells[i].paired->line_rt_ns == probed.cells[i].paired->line_rt_ns);
  }

  // A pair line whose probe is not a number is named by file and line, not half restored.
  {
    std::ifstream in(file);
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    size_t edited = 0;
    for (size_t i = 1; i < lines.size() && edited == 0; ++i) {
      nlohmann::json j = nlohmann::json::parse(lines[i]);
      if (j["kind"] != "pair") continue;
      j["line_round_trip_ns"] = "far";
      lines[i] = j.dump();
      edited = i + 1;
    }
    REQUIRE(edited > 0);
    const auto bad_file = std::filesystem::path(dir.file("bad.jsonl"));
    std::ofstream out(bad_file);
    for (const std::string& l : lines) out << l << '\n';
    out.close();
    const JournalContents bad = read_journal(bad_file);
    MatrixRunOptions bad_resume;
    bad_resume.resume = &bad;
    REQUIRE_THROWS_WITH(
        run_matrix(keyed_spec(all), all, capture_environment(0, nullptr), bad_resume),
        Catch::Contains("bad.jsonl:" + std::to_string(edited)) && Catch::Contains("pair 1"));
  }

  // Without the option nothing is probed.
  const MatrixResult plain = run_matrix(keyed_spec(all), all, capture_environment(0, nullptr), {});
  for (const CellResult& c : plain.cells)
    if (c.paired)
      for (double ns : c.paired->line_rt_ns) CHECK(ns == 0);
}

TEST_CASE("a resume refuses a journal written by another matrix, naming the difference") {
  sg::test::TempDir dir;
  const std::vector<Scenario> all = {keyed_scenario()};
  const auto file = std::filesystem::path(dir.file("j.jsonl"));
  {
    auto journal = MatrixJournal::open(file, false);
    MatrixRunOptions options;
    options.journal = journal.get();
    run_matrix(keyed_spec(all), all, capture_environment(0, nullptr), options);
  }
  const JournalContents contents = read_journal(file);
  MatrixSpec other = parse_matrix(
      "name='m'\nscenarios=['*']\nstrategies=['direct','batch_lock']\nbatch_sizes=[32]\n"
      "repetitions=2\nwarmup=0\ncell_budget_s=0\n",
      "m.toml", all, false);
  MatrixRunOptions resume;
  resume.resume = &contents;
  REQUIRE_THROWS_WITH(
      run_matrix(other, all, capture_environment(0, nullptr), resume),
      Catch::Contains("written by another matrix") && Catch::Contains("per_record_lock"));
}

TEST_CASE("a pass is restored exactly from its JSON, and only with the output it reproduced") {
  const std::vector<Scenario> all = {keyed_scenario()};
  const MatrixResult r = run_matrix(keyed_spec(all), all, capture_environment(0, nullptr), {});
  // A timed pass: its output is checked by the fingerprint sink (the digest is the checked
  // passes' work, and stays empty here).
  const RunResult& pass = r.cells.at(1).samples.at(0);
  const nlohmann::json j = pass.to_json();
  const ExpectedOutput expected{pass.digest, pass.fingerprint};
  REQUIRE(run_result_from_json(j, expected).to_json() == j);
  REQUIRE_THROWS_WITH(run_result_from_json(j, {pass.digest, OutputFingerprint()}),
                      Catch::Contains("fingerprint"));
  nlohmann::json unknown = j;
  unknown["a_field_not_known_yet"] = 1;
  REQUIRE_THROWS_WITH(run_result_from_json(unknown, expected),
                      Catch::Contains("cannot be restored exactly"));
}

TEST_CASE("a journal's torn last line is dropped; a bad line elsewhere is named") {
  sg::test::TempDir dir;
  const auto file = std::filesystem::path(dir.file("j.jsonl"));
  const std::string header = R"({"journal":"streamgauge-matrix-journal/2","cells":[]})";
  const std::string pass = R"({"cell":"a","repetition":0,"status":"failed","reason":"x"})";
  std::ofstream(file) << header << '\n' << pass << '\n' << R"({"cell":"a","rep)";
  JournalContents j = read_journal(file);
  REQUIRE(j.passes.size() == 1);
  REQUIRE(j.torn_last_line);
  // Continuing it cuts the torn line, so the next pass starts a line of its own.
  MatrixJournal::reopen(j)->append({{"cell", "b"}, {"repetition", 0}, {"status", "skipped"}});
  j = read_journal(file);
  REQUIRE(!j.torn_last_line);
  REQUIRE(j.passes.size() == 2);
  REQUIRE(j.passes[1]["cell"] == "b");
  std::ofstream(file) << header << '\n' << "{not json\n" << pass << '\n';
  REQUIRE_THROWS_WITH(read_journal(file), Catch::Contains("j.jsonl:2"));
  std::ofstream(file) << R"({"format":"streamgauge-matrix-result/1"})" << '\n';
  REQUIRE_THROWS_WITH(read_journal(file), Catch::Contains("not a streamgauge matrix journal"));
}

TEST_CASE("the time left counts each cell at its own pace, and peers not yet timed") {
  const std::vector<Scenario> all = {keyed_scenario()};
  MatrixSpec spec = keyed_spec(all);
  CellResult ours, peer;
  ours.cell.scenario = peer.cell.scenario = &all[0];
  peer.cell.runner = RunnerKind::Peer;
  ProgressEstimate e;
  e.plan(ours, 10);
  e.plan(peer, 10);
  for (int i = 0; i < 5; ++i) e.pass_done(ours, 0.01);
  REQUIRE(e.left() == "~0s left + 10 peer passes not yet timed");
  e.pass_done(peer, 2.0);
  REQUIRE(e.left() == "~18s left");  // 5 x 0.01 s + 9 x 2 s, not 14 passes at the mean
}

TEST_CASE("while cells pair, the time left adds their unspent budgets as an upper bound") {
  const std::vector<Scenario> all = {keyed_scenario()};
  CellResult a, b;
  a.cell.scenario = b.cell.scenario = &all[0];
  ProgressEstimate e;
  e.plan(a, 4);
  e.plan(b, 4);
  e.pairing_budget(a, 5.0);
  e.pairing_budget(b, 5.0);
  e.pair_spent(b, 1.5);  // restored pairs
  for (int i = 0; i < 2; ++i) e.pass_done(a, 0.5);
  e.pair_spent(a, 1.0);
  // Minimum: 2 x 0.5 s (a) + 4 x 0.5 s (b at the kind's mean); budgets unspent: 4 + 3.5 s.
  REQUIRE(e.left() == "~3s left (up to ~10s while 2 paired cells narrow their intervals)");
  e.pairing_done(b);
  REQUIRE(e.left() == "~3s left (up to ~7s while 1 paired cell narrows its interval)");
  e.pairing_done(a);
  REQUIRE(e.left() == "~3s left");
}
