// compare on latency results: each offered rate of each cell is a cell, each pass's p99 a sample,
// judged with the same test and threshold as wall time.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "harness/analysis/compare.h"

using namespace sg;

namespace {

nlohmann::json latency_doc(const std::vector<double>& p99s, bool ok = true) {
  nlohmann::json passes = nlohmann::json::array();
  for (double p : p99s) passes.push_back({{"latency_ns", {{"p99", p}}}});
  nlohmann::json rate = {{"rate", "50%"}, {"ok", ok}, {"passes", passes}};
  nlohmann::json cell = {{"scenario", "s2_group_by"},
                         {"strategy", "adaptive"},
                         {"linger_ns", 500000},
                         {"config", {{"engine", "sql"}, {"batch_size", 100}, {"partitions", 2}}},
                         {"rates", nlohmann::json::array({rate})}};
  return {{"format", "streamgauge-latency/1"}, {"cells", nlohmann::json::array({cell})}};
}

}  // namespace

TEST_CASE("compare: a latency result's p99 per rate is judged like a timed cell") {
  const std::vector<double> base = {1.00e6, 1.02e6, 0.98e6, 1.01e6, 0.99e6, 1.00e6};
  const std::vector<double> slower = {1.50e6, 1.52e6, 1.49e6, 1.51e6, 1.48e6, 1.50e6};
  const SampleSet b = load_sample_set(latency_doc(base), "base.json");
  REQUIRE(b.kind == "p99_ns");
  const std::string id = "s2_group_by/adaptive/sql/b100/p2/linger500us/rate 50%";
  REQUIRE(b.cells.count(id) == 1);
  REQUIRE(b.cells.at(id).size() == base.size());

  Comparison c = compare(b, load_sample_set(latency_doc(slower), "cur.json"));
  REQUIRE(c.threshold == 0.10);  // wall time's threshold
  REQUIRE(c.cells.size() == 1);
  REQUIRE(c.cells[0].verdict == Verdict::Slower);
  REQUIRE(c.regressed());
  REQUIRE(compare(b, b).cells[0].verdict == Verdict::Same);

  // A rate whose passes failed their check has no samples to judge.
  REQUIRE(load_sample_set(latency_doc(base, false), "x.json").cells.empty());
}
