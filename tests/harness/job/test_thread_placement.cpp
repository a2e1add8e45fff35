#include <catch2/catch.hpp>

#include <sched.h>

#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include "harness/job/thread_placement.h"
#include "strategy_test_support.h"

using namespace sg;
using namespace sg::test;

namespace {

cpu_set_t this_thread_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  REQUIRE(sched_getaffinity(0, sizeof(set), &set) == 0);
  return set;
}

// Forwards to the real engine and notes the CPU of every thread that feeds it records.
class CpuRecordingEngine final : public Engine {
 public:
  CpuRecordingEngine(std::unique_ptr<Engine> inner, std::set<int>& cpus, std::mutex& mutex)
      : inner_(std::move(inner)), cpus_(cpus), mutex_(mutex) {}
  void process(const RecordPtr& in, Batch& out) override {
    note();
    inner_->process(in, out);
  }
  void process_batch(std::span<const RecordPtr> in, Batch& out) override {
    note();
    inner_->process_batch(in, out);
  }
  void finish(Batch& out) override { inner_->finish(out); }
  EngineStats stats() const override { return inner_->stats(); }

 private:
  void note() {
    std::lock_guard lock(mutex_);
    cpus_.insert(sched_getcpu());
  }
  std::unique_ptr<Engine> inner_;
  std::set<int>& cpus_;
  std::mutex& mutex_;
};

// The CPUs each partition's engine ran on, for one pinned run of `strategy`.
std::vector<std::set<int>> engine_cpus(std::string_view strategy, int partitions) {
  std::vector<std::set<int>> cpus(static_cast<size_t>(partitions));
  std::mutex mutex;
  JobConfig config;
  config.pin_threads = true;
  config.partitions = partitions;
  config.batch_size = 50;
  JobInputs in = inputs_for(TestQueryKind::RunningCount, make_trades(3000));
  in.wrap_engine = [&](std::unique_ptr<Engine> engine, int partition) -> std::unique_ptr<Engine> {
    return std::make_unique<CpuRecordingEngine>(std::move(engine),
                                                cpus[static_cast<size_t>(partition)], mutex);
  };
  const RunResult r = run_named(strategy, config, in);
  REQUIRE(r.ok);
  return cpus;
}

}  // namespace

TEST_CASE("thread placement: slots go round robin over the CPUs the process may use") {
  const cpu_set_t mine = this_thread_cpus();
  const int allowed = CPU_COUNT(&mine);
  REQUIRE(allowed >= 1);
  for (int slot = 0; slot < 3 * allowed; ++slot) {
    const int cpu = cpu_for_slot(slot);
    CHECK(cpu >= 0);
    CHECK(cpu == cpu_for_slot(slot + allowed));
  }
  std::set<int> distinct;
  for (int slot = 0; slot < allowed; ++slot) distinct.insert(cpu_for_slot(slot));
  CHECK(distinct.size() == static_cast<size_t>(allowed));
}

TEST_CASE("thread placement: STREAMGAUGE_CPUS puts the listed CPUs first, and bad lists are named") {
  std::vector<int> out;
  CHECK(parse_cpu_order("3,1", {0, 1, 2, 3}, out).empty());
  CHECK(out == std::vector<int>{3, 1, 0, 2});
  CHECK(parse_cpu_order("0", {0, 1}, out).empty());
  CHECK(out == std::vector<int>{0, 1});
  CHECK_THAT(parse_cpu_order("1,x", {0, 1}, out),
             Catch::Contains("'x' at character 3 is not a CPU number"));
  CHECK_THAT(parse_cpu_order("1,", {0, 1}, out), Catch::Contains("is not a CPU number"));
  CHECK_THAT(parse_cpu_order("-1", {0, 1}, out), Catch::Contains("is not a CPU number"));
  CHECK_THAT(parse_cpu_order("5", {0, 1}, out),
             Catch::Contains("CPU 5 is not one this process may use"));
  CHECK_THAT(parse_cpu_order("1,1", {0, 1}, out), Catch::Contains("CPU 1 is listed twice"));
}

TEST_CASE("thread placement: a pin holds one CPU for its scope and then gives the CPUs back") {
  const cpu_set_t before = this_thread_cpus();
  {
    ThreadPin off(false, 1);
    const cpu_set_t now = this_thread_cpus();
    CHECK(CPU_EQUAL(&before, &now));
  }
  {
    ThreadPin on(true, 1);
    cpu_set_t now = this_thread_cpus();
    CHECK(CPU_COUNT(&now) == 1);
    CHECK(CPU_ISSET(cpu_for_slot(1), &now));
    CHECK(sched_getcpu() == cpu_for_slot(1));
  }
  const cpu_set_t after = this_thread_cpus();
  CHECK(CPU_EQUAL(&before, &after));
}

TEST_CASE("thread placement: pinned, partition p's engine runs on slot p's CPU in every strategy") {
  const cpu_set_t before = this_thread_cpus();
  SECTION("direct: the calling thread, slot 0") {
    CHECK(engine_cpus("direct", 1)[0] == std::set<int>{cpu_for_slot(0)});
  }
  SECTION("batch_lock: the calling thread, slot 0") {
    CHECK(engine_cpus("batch_lock", 1)[0] == std::set<int>{cpu_for_slot(0)});
  }
  SECTION("lockless_stp: partition threads on slots 0 and 1") {
    const auto cpus = engine_cpus("lockless_stp", 2);
    CHECK(cpus[0] == std::set<int>{cpu_for_slot(0)});
    CHECK(cpus[1] == std::set<int>{cpu_for_slot(1)});
  }
  SECTION("adaptive: worker threads on slots 0 and 1") {
    const auto cpus = engine_cpus("adaptive", 2);
    CHECK(cpus[0] == std::set<int>{cpu_for_slot(0)});
    CHECK(cpus[1] == std::set<int>{cpu_for_slot(1)});
  }
  SECTION("streaming: the producer beside the consumer, slot 1") {
    CHECK(engine_cpus("streaming", 1)[0] == std::set<int>{cpu_for_slot(1)});
  }
  SECTION("the calling thread gets its CPUs back when the job returns") {
    JobConfig config;
    config.pin_threads = true;
    const RunResult r = make_strategy("direct")->run(
        config, inputs_for(TestQueryKind::Filter, make_trades(100)));
    REQUIRE(r.ok);
    const cpu_set_t after = this_thread_cpus();
    CHECK(CPU_EQUAL(&before, &after));
  }
}
