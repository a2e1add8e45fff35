// Conservation under load, over many seeds: random strategy x shipped scenario x batch size
// (1..5000) x partitions (1..6) x queue kind x the strategy's own knobs. Every supported
// configuration reads every record, processes what it read, writes what it produced, and gives
// direct's digest on the same data. The scenarios are the shipped TOML files, at small sizes.
//
// More seeds: STREAMGAUGE_CONSERVATION_SEEDS=500 build-rel/tests/test_harness "conservation*"
#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "engine/query.h"
#include "harness/workload/generator.h"
#include "harness/workload/scenario.h"
#include "strategy_test_support.h"

using namespace sg;
using namespace sg::test;

namespace {

struct Prepared {
  std::string name;
  std::shared_ptr<const CompiledQuery> query;
  SharedDataset dataset;
  Digest direct;
};

// Each scenario once, at a small size, with direct's digest: the reference every strategy must
// reproduce.
const std::vector<Prepared>& prepared_scenarios() {
  static const std::vector<Prepared> all = [] {
    std::vector<Prepared> out;
    for (const Scenario& s : load_scenarios(default_scenario_dir())) {
      if (!s.check.same_as_direct) continue;
      Prepared p;
      p.name = s.name;
      auto data = std::make_shared<Dataset>(generate_dataset(s.generator, 3000));
      p.query = CompiledQuery::compile(s.sql, data->schema);
      p.dataset = data;
      JobInputs in;
      in.query = p.query;
      in.dataset = p.dataset;
      JobConfig config;
      const RunResult r = run_named("direct", config, in);
      if (!r.ok) FAIL("direct failed on " << s.name << ": " << r.error);
      p.direct = r.digest;
      out.push_back(std::move(p));
    }
    return out;
  }();
  return all;
}

uint64_t seed_count() {
  const char* env = std::getenv("STREAMGAUGE_CONSERVATION_SEEDS");
  return env ? std::strtoull(env, nullptr, 10) : 100;
}

}  // namespace

TEST_CASE("conservation: random configurations over the shipped scenarios match direct") {
  const auto& scenarios = prepared_scenarios();
  REQUIRE(scenarios.size() >= 5);
  const uint64_t seeds = seed_count();
  uint64_t ran = 0, skipped = 0;
  std::map<std::string, int> per_strategy;
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    std::mt19937_64 rng(seed);
    auto pick = [&](uint64_t below) { return rng() % below; };
    const Prepared& scenario = scenarios[pick(scenarios.size())];
    // Not direct itself: it is the reference.
    const std::string strategy = strategies()[1 + pick(strategies().size() - 1)].name;

    JobConfig config;
    // Log-uniform in 1..5000, so small batches (the expensive, racy ones) are common.
    config.batch_size = static_cast<size_t>(
        std::exp(std::uniform_real_distribution<double>(0.0, std::log(5000.0))(rng)));
    config.batch_size = std::max<size_t>(1, std::min<size_t>(5000, config.batch_size));
    config.partitions = 1 + static_cast<int>(pick(6));
    config.queue = queue_kinds()[pick(queue_kinds().size())].kind;
    config.queue_capacity = size_t{1} << (2 + pick(10));  // 4 .. 2048
    config.lock = pick(2) ? LockKind::RwLock : LockKind::Mutex;
    config.routing = static_cast<Routing>(pick(3));
    config.writer_mode = pick(2) ? WriterMode::PerPartition : WriterMode::Shared;
    config.streaming = all_streaming_modes()[pick(all_streaming_modes().size())];
    config.phase_timing = pick(4) != 0;

    JobInputs in;
    in.query = scenario.query;
    in.dataset = scenario.dataset;
    auto s = make_strategy(strategy);
    REQUIRE(s);
    if (auto why = s->unsupported(config, in)) {
      // Partitions where the strategy has none, a split the query forbids: try it whole.
      config.partitions = 1;
      config.routing = Routing::Hash;
      if (s->unsupported(config, in)) {
        ++skipped;
        continue;
      }
    }
    const RunResult r = run_with_watchdog(*s, config, in, 60);
    INFO("seed " << seed << ": " << strategy << " on " << scenario.name << ", batch "
                 << config.batch_size << ", partitions " << config.partitions << ", queue "
                 << queue_kind_name(config.queue) << " capacity " << config.queue_capacity << ": "
                 << r.error);
    require_conserved(r);
    REQUIRE(r.records_read == scenario.dataset->records.size());
    REQUIRE(r.digest == scenario.direct);
    ++ran;
    ++per_strategy[strategy];
  }
  REQUIRE(ran + skipped == seeds);
  REQUIRE(ran >= seeds * 3 / 4);
  std::string spread;
  for (const auto& [name, count] : per_strategy) spread += name + " " + std::to_string(count) + " ";
  WARN("conservation: " << ran << " seeded configurations ran, " << skipped << " skipped; "
                        << spread);
}
