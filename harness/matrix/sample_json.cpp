#include "harness/matrix/sample_json.h"

#include <stdexcept>

#include "harness/job/run_stats.h"

namespace sg {

namespace {

ThreadReport thread_from_json(const nlohmann::json& j) {
  ThreadReport t;
  t.role = j.at("role").get<std::string>();
  t.lifetime_ns = j.at("lifetime_ns").get<uint64_t>();
  const nlohmann::json& phases = j.at("phase_ns");
  for (size_t i = 0; i < kPhaseCount; ++i)
    t.phase_ns[i] = phases.at(phase_name(static_cast<Phase>(i))).get<uint64_t>();
  t.unattributed_ns = phases.at("unattributed").get<uint64_t>();
  if (j.contains("phase_cpu_ns")) {  // phase timing was on
    t.instrumentation_ns = phases.at("instrumentation").get<uint64_t>();
    t.interval_starts = j.at("interval_starts").get<uint64_t>();
    t.coordination_off_cpu_ns = j.at("coordination_off_cpu_ns").get<uint64_t>();
    for (size_t i = 0; i < kPhaseCount; ++i) {
      const char* name = phase_name(static_cast<Phase>(i));
      t.phase_cpu_ns[i] = j.at("phase_cpu_ns").at(name).get<uint64_t>();
      t.phase_charges[i] = j.at("phase_charges").at(name).get<uint64_t>();
      t.phase_cpu_reads[i] = j.at("phase_cpu_reads").at(name).get<uint64_t>();
    }
  }
  t.cpu_ns = j.at("cpu_ns").get<uint64_t>();
  t.voluntary_switches = j.at("voluntary_switches").get<uint64_t>();
  t.involuntary_switches = j.at("involuntary_switches").get<uint64_t>();
  t.records = j.value("records", uint64_t{0});
  return t;
}

RunResult parse(const nlohmann::json& j, const ExpectedOutput& expected) {
  RunResult r;
  r.strategy = j.at("strategy").get<std::string>();
  r.ok = j.at("ok").get<bool>();
  r.skipped = j.at("skipped").get<bool>();
  r.error = j.at("error").get<std::string>();
  r.records_read = j.at("records_read").get<uint64_t>();
  r.records_processed = j.at("records_processed").get<uint64_t>();
  r.rows_produced = j.at("rows_produced").get<uint64_t>();
  r.rows_written = j.at("rows_written").get<uint64_t>();
  r.records_committed = j.at("records_committed").get<uint64_t>();
  r.rows_committed = j.at("rows_committed").get<uint64_t>();
  r.batches = j.at("batches").get<uint64_t>();
  r.locks_taken = j.at("locks_taken").get<uint64_t>();
  const nlohmann::json& q = j.at("queue");
  r.queue.items_pushed = q.at("items_pushed").get<uint64_t>();
  r.queue.items_popped = q.at("items_popped").get<uint64_t>();
  r.queue.push_calls = q.at("push_calls").get<uint64_t>();
  r.queue.pop_calls = q.at("pop_calls").get<uint64_t>();
  r.queue.producer_waits = q.at("producer_waits").get<uint64_t>();
  r.queue.consumer_waits = q.at("consumer_waits").get<uint64_t>();
  r.queue.wait_timeouts = q.value("wait_timeouts", uint64_t{0});  // journals before it had none
  r.wall_ns = j.at("wall_ns").get<uint64_t>();
  for (const nlohmann::json& t : j.at("threads")) r.threads.push_back(thread_from_json(t));
  r.peak_rss_kb = j.at("peak_rss_kb").get<uint64_t>();
  r.peak_rss_per_run = j.at("peak_rss_per_run").get<bool>();
  const nlohmann::json& e = j.at("engine");
  r.engine.records_in = e.at("records_in").get<uint64_t>();
  r.engine.records_out = e.at("records_out").get<uint64_t>();
  r.engine.late_records = e.at("late_records").get<uint64_t>();
  if (j.contains("startup")) {
    StartupTimes s;
    s.to_stream_ready_ns = j.at("startup").at("to_stream_ready_ns").get<uint64_t>();
    s.to_first_row_ns = j.at("startup").at("to_first_row_ns").get<uint64_t>();
    r.startup = s;
  }
  if (j.at("digest") != expected.digest.to_json())
    throw std::runtime_error("its digest " + j.at("digest").dump() +
                             " is not the one this data gives, " +
                             expected.digest.to_json().dump());
  if (j.at("fingerprint") != expected.fingerprint.to_string())
    throw std::runtime_error("its fingerprint " + j.at("fingerprint").dump() +
                             " is not the one this data gives, " +
                             expected.fingerprint.to_string());
  r.digest = expected.digest;
  r.fingerprint = expected.fingerprint;
  return r;
}

}  // namespace

RunResult run_result_from_json(const nlohmann::json& sample, const ExpectedOutput& expected) {
  RunResult r;
  try {
    r = parse(sample, expected);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("not a pass's result: ") + e.what());
  }
  const nlohmann::json back = r.to_json();
  if (back != sample) {
    const nlohmann::json diff = nlohmann::json::diff(back, sample);
    throw std::runtime_error("the pass cannot be restored exactly (differs at " +
                             diff.front().value("path", std::string("?")) + ")");
  }
  return r;
}

}  // namespace sg
