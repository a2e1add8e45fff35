#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "harness/matrix/paired_schedule.h"
#include "harness/matrix/pass_schedule.h"

using namespace sg;

TEST_CASE("paired schedule: the order alternates, starting with the cell") {
  PairedSchedule s({});
  std::vector<bool> firsts;
  for (int i = 0; i < 6; ++i) {
    firsts.push_back(s.cell_first());
    s.add(110, 100, 0.01);
  }
  REQUIRE(firsts == std::vector<bool>{true, false, true, false, true, false});
}

TEST_CASE("paired schedule: stops at the half-width target once the interval reaches 95%") {
  PairedScheduleOptions o;
  o.min_pairs = 3;
  o.budget_s = 100;
  PairedSchedule s(o);
  int pairs = 0;
  while (!s.done()) {
    s.add(110, 100, 0.01);  // identical pairs: a zero-width interval, but 95% needs 6 pairs
    ++pairs;
  }
  REQUIRE(pairs == 6);
  REQUIRE(s.stop() == PairedStop::Target);
  REQUIRE(s.ratio().ratio == Approx(1.1));
}

TEST_CASE("paired schedule: noisy pairs stop at the budget, the cap, or the minimum") {
  std::mt19937_64 rng(3);
  std::lognormal_distribution<double> noise(0.0, 0.3);  // far too noisy for +-3%
  auto run = [&](PairedScheduleOptions o, double seconds_per_pair) {
    PairedSchedule s(o);
    while (!s.done()) s.add(100 * noise(rng), 100, seconds_per_pair);
    return s;
  };
  PairedScheduleOptions budget;
  budget.budget_s = 10;
  const PairedSchedule b = run(budget, 1.0);
  REQUIRE(b.stop() == PairedStop::Budget);
  REQUIRE(b.pairs() == 10);
  REQUIRE(b.ratio().half_width() > 0.03);  // the achieved half-width is what is reported

  PairedScheduleOptions cap;
  cap.max_pairs = 30;
  REQUIRE(run(cap, 0.001).stop() == PairedStop::Cap);

  PairedScheduleOptions minimum;
  minimum.budget_s = 0;
  const PairedSchedule m = run(minimum, 1.0);
  REQUIRE(m.stop() == PairedStop::Minimum);
  REQUIRE(m.pairs() == 5);
}

TEST_CASE("paired schedule: an overhead target keeps pairing until the overhead is known") {
  // Synthetic pairs whose ratios alternate kSpread either side of a centre: the interval is
  // +-kSpread, within +-3% of the ratio, but a 5% overhead is then known only to +-20%.
  constexpr double kSpread = 0.01, kBudgetS = 40, kSecondsPerPair = 1;
  constexpr size_t kPairsFor95 = 6;  // the sign test's fewest pairs for a 95% interval
  auto run = [&](double overhead_target, double centre) {
    PairedScheduleOptions o;
    o.target_overhead_half_width = overhead_target;
    o.budget_s = kBudgetS;
    PairedSchedule s(o);
    for (int i = 0; !s.done(); ++i)
      s.add(100 * (centre + (i % 2 ? kSpread : -kSpread)), 100, kSecondsPerPair);
    return s;
  };
  const PairedSchedule plain = run(0, 1.05);
  REQUIRE(plain.stop() == PairedStop::Target);
  REQUIRE(plain.pairs() == kPairsFor95);

  const PairedSchedule loose = run(0.25, 1.05);  // +-20% of the overhead is within +-25%
  REQUIRE(loose.stop() == PairedStop::Target);
  REQUIRE(loose.pairs() == kPairsFor95);

  const PairedSchedule tight = run(0.1, 1.05);  // +-20% is not within +-10%: on to the budget
  REQUIRE(tight.stop() == PairedStop::Budget);
  REQUIRE(tight.pairs() == static_cast<size_t>(kBudgetS / kSecondsPerPair));

  const PairedSchedule large = run(0.1, 1.5);  // +-kSpread is 2% of a 50% overhead
  REQUIRE(large.stop() == PairedStop::Target);
  REQUIRE(large.pairs() == kPairsFor95);

  const PairedSchedule none = run(0.1, 1.0);  // no overhead to know: on to the budget
  REQUIRE(none.stop() == PairedStop::Budget);
}

namespace {

// A runner whose passes take synthetic times and log what ran, in order.
class FakeRunner final : public CellRunner {
 public:
  FakeRunner(std::string name, std::vector<std::string>& log, std::function<uint64_t()> wall)
      : name_(std::move(name)), log_(log), wall_(std::move(wall)) {}
  PassVerdict run_pass(CellResult&, RunResult& out, PassKind kind) override {
    log_.push_back(name_ + (kind == PassKind::Checked ? ":checked"
                            : kind == PassKind::Timed ? ":timed"
                                                      : ":instrumented"));
    out = RunResult();
    out.wall_ns = wall_();
    out.threads.push_back(ThreadReport{});
    return {};
  }

 private:
  std::string name_;
  std::vector<std::string>& log_;
  std::function<uint64_t()> wall_;
};

struct FakeMatrix {
  Scenario scenario;
  std::vector<CellResult> cells;
  std::vector<PreparedCell> prepared;
  std::vector<std::string> log;

  // direct and batch_lock on one scenario; batch_lock's passes take `cell_wall()` ns.
  explicit FakeMatrix(std::function<uint64_t()> cell_wall) {
    scenario.name = "s";
    for (const char* name : {"direct", "batch_lock"}) {
      CellResult c;
      c.cell.scenario = &scenario;
      c.cell.runner_name = name;
      c.cell.records = 100;
      cells.push_back(std::move(c));
    }
    prepared.push_back(
        {&cells[0], std::make_unique<FakeRunner>("direct", log, [] { return 100; })});
    prepared.push_back({&cells[1], std::make_unique<FakeRunner>("batch_lock", log, cell_wall)});
  }
  std::vector<PreparedCell*> group() { return {&prepared[0], &prepared[1]}; }
};

}  // namespace

TEST_CASE("pass schedule: a paired cell runs back to back with direct, order alternating") {
  FakeMatrix m([] { return 120; });
  MatrixSpec spec;
  spec.repetitions = 6;
  spec.warmup = 1;
  spec.instrumented_repetitions = 1;
  double clock = 0;
  PassScheduleHooks hooks;
  hooks.seconds_now = [&] { return clock += 0.001; };
  run_group_passes(m.group(), spec, Calibration{}, hooks);

  // Checked passes first, instrumented last; in between, batch_lock's timed passes each sit
  // next to one of direct's, cell first in odd pairs and direct first in even ones.
  std::vector<std::string> pairs;
  for (size_t i = 0; i < m.log.size(); ++i) {
    if (m.log[i] != "batch_lock:timed") continue;
    const bool odd = pairs.size() % 2 == 0;
    const size_t partner = odd ? i + 1 : i - 1;
    REQUIRE(partner < m.log.size());
    REQUIRE(m.log[partner] == "direct:timed");
    pairs.push_back(odd ? "cell first" : "direct first");
  }
  REQUIRE(pairs.size() == 6);  // identical ratios: the target is met at the first 95% interval
  REQUIRE(m.cells[1].paired);
  REQUIRE(m.cells[1].paired->ratio.ratio == Approx(1.2));
  REQUIRE(m.cells[1].paired->stop == "half-width target");
  REQUIRE(m.cells[1].samples.size() == 6);
  REQUIRE(m.cells[0].samples.size() == 6);  // direct's own passes: the minimum
  REQUIRE_FALSE(m.cells[0].paired);
  REQUIRE(m.log.front().ends_with(":checked"));
  REQUIRE(m.log.back().ends_with(":instrumented"));
  REQUIRE(m.cells[1].instrumented.size() == 1);
}

TEST_CASE("pass schedule: a noisy cell stops when its budget is spent, on a fake clock") {
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<uint64_t> noisy(60, 200);
  // The clock moves only in batch_lock's passes, 0.25 s each: one pair costs 0.25 s however
  // often the schedule reads the clock.
  double clock = 0;
  FakeMatrix m([&] {
    clock += 0.25;
    return noisy(rng);
  });
  MatrixSpec spec;
  spec.repetitions = 5;
  spec.cell_budget_s = 3;
  spec.instrumented_repetitions = 0;
  PassScheduleHooks hooks;
  hooks.seconds_now = [&] { return clock; };
  std::vector<std::string> pairing;  // what the progress line hears
  hooks.pairing_started = [&](const PreparedCell& pc, double budget_s, double spent_s) {
    pairing.push_back(
        fmt::format("{} started {} {}", pc.result->cell.runner_name, budget_s, spent_s));
  };
  hooks.pairing_ended = [&](const PreparedCell& pc) {
    pairing.push_back(fmt::format("{} ended at {}", pc.result->cell.runner_name, clock));
  };
  run_group_passes(m.group(), spec, Calibration{}, hooks);
  // Ended after its checked pass (0.25 s) and twelve pairs (3 s).
  REQUIRE(pairing ==
          std::vector<std::string>{"batch_lock started 3 0", "batch_lock ended at 3.25"});
  REQUIRE(m.cells[1].paired);
  REQUIRE(m.cells[1].paired->stop == "budget");
  REQUIRE(m.cells[1].paired->ratio.n == 12);  // 12 x 0.25 s = the 3 s budget
}
