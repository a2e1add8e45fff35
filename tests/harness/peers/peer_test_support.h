// Shared by the peer tests: a small generated dataset, a scenario over it, and our engine's
// reference digest, as the matrix runner would hand them to run_peer().
#pragma once

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "engine/query.h"
#include "harness/job/digest.h"
#include "harness/peers/peer.h"
#include "harness/workload/generator.h"
#include "harness/workload/scenario.h"

namespace sg::test {

// Sets an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_)
      setenv(name_, old_->c_str(), 1);
    else
      unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

inline FieldSpec field(const std::string& name, Type type, const std::string& distribution) {
  FieldSpec f;
  f.name = name;
  f.type = type;
  f.distribution = distribution;
  return f;
}

// id (sequence), k (5 keys), x (float in [0, 1)), n (small integers, 10% NULL), ts (37 ms apart,
// in order unless `disorder_ms` pulls each back by up to that much), and the event time from ts.
inline GeneratorSpec peer_test_generator(uint64_t seed, int64_t disorder_ms = 0) {
  GeneratorSpec spec;
  spec.seed = seed;
  FieldSpec id = field("id", Type::Integer, "sequence");
  id.start = 1;
  FieldSpec k = field("k", Type::String, "pattern");
  k.pattern = "K{r%5}";
  FieldSpec x = field("x", Type::Float, "uniform");
  x.min = 0;
  x.max = 1;
  FieldSpec n = field("n", Type::Integer, "uniform");
  n.min = -20;
  n.max = 20;
  n.null_fraction = 0.1;
  FieldSpec ts = field("ts", Type::Timestamp, "timestamp");
  ts.start_ms = 1'700'000'000'000;
  ts.spacing_ms = 37;
  ts.disorder_ms = disorder_ms;
  spec.fields = {id, k, x, n, ts};
  spec.event_time.field = "ts";
  return spec;
}

// Everything run_peer() needs for one query over one dataset.
struct PeerFixture {
  Scenario scenario;
  std::shared_ptr<const CompiledQuery> query;
  Dataset data;
  Digest reference;

  PeerFixture(const std::string& sql, uint64_t records = 2000, uint64_t seed = 7,
              int64_t disorder_ms = 0) {
    scenario.name = "peer_test";
    scenario.sql = sql;
    scenario.records = records;
    scenario.generator = peer_test_generator(seed, disorder_ms);
    data = generate_dataset(scenario.generator, records);
    query = CompiledQuery::compile(sql, data.schema);
    reference = digest_of(*query, data);
  }

  PeerRun run(const std::string& peer) const {
    return run_peer(peer, scenario, *query, data, reference);
  }

  // Our engine's output digest, as the matrix runner's direct reference.
  static Digest digest_of(const CompiledQuery& q, const Dataset& d) {
    auto engine = q.instantiate();
    Batch out;
    engine->process_batch(d.records, out);
    engine->finish(out);
    Digest digest;
    for (const RecordPtr& r : out) digest.add(*r);
    return digest;
  }
};

}  // namespace sg::test
