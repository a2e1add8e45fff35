#include "harness/job/run_stats.h"

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <fstream>
#include <numeric>
#include <string>

#include <nlohmann/json.hpp>

namespace sg {
namespace {

uint64_t thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ULL + static_cast<uint64_t>(ts.tv_nsec);
}

rusage thread_usage() {
  rusage ru{};
  getrusage(RUSAGE_THREAD, &ru);
  return ru;
}

std::atomic<bool>& peak_reset_worked() {
  static std::atomic<bool> worked{false};
  return worked;
}

}  // namespace

const char* phase_name(Phase p) {
  switch (p) {
    case Phase::Setup:
      return "setup";
    case Phase::Read:
      return "read";
    case Phase::Engine:
      return "engine";
    case Phase::Write:
      return "write";
    case Phase::Coordination:
      return "coordination";
    case Phase::Waiting:
      return "waiting";
    case Phase::Teardown:
      return "teardown";
  }
  return "?";
}

uint64_t ThreadReport::attributed_ns() const {
  return std::accumulate(phase_ns.begin(), phase_ns.end(), uint64_t{0});
}

nlohmann::json ThreadReport::to_json() const {
  nlohmann::json phases = nlohmann::json::object();
  for (size_t i = 0; i < kPhaseCount; ++i) phases[phase_name(static_cast<Phase>(i))] = phase_ns[i];
  phases["unattributed"] = unattributed_ns;
  nlohmann::json cpu = nlohmann::json::object();
  nlohmann::json charges = nlohmann::json::object();
  nlohmann::json cpu_reads = nlohmann::json::object();
  for (size_t i = 0; i < kPhaseCount; ++i) {
    cpu[phase_name(static_cast<Phase>(i))] = phase_cpu_ns[i];
    charges[phase_name(static_cast<Phase>(i))] = phase_charges[i];
    cpu_reads[phase_name(static_cast<Phase>(i))] = phase_cpu_reads[i];
  }
  nlohmann::json j = {{"role", role},
          {"lifetime_ns", lifetime_ns},
          {"phase_ns", phases},
          {"cpu_ns", cpu_ns},
          {"voluntary_switches", voluntary_switches},
          {"involuntary_switches", involuntary_switches}};
  if (records) j["records"] = records;
  if (interval_starts || instrumentation_ns) {  // phase timing was on
    j["phase_ns"]["instrumentation"] = instrumentation_ns;
    j["interval_starts"] = interval_starts;
    j["phase_cpu_ns"] = cpu;
    j["phase_charges"] = charges;
    j["phase_cpu_reads"] = cpu_reads;
    j["coordination_off_cpu_ns"] = coordination_off_cpu_ns;
  }
  return j;
}

ThreadMeter::ThreadMeter(std::string role, bool phase_timing)
    : role_(std::move(role)), timing_(phase_timing) {
  const rusage ru = thread_usage();
  start_voluntary_ = static_cast<uint64_t>(ru.ru_nvcsw);
  start_involuntary_ = static_cast<uint64_t>(ru.ru_nivcsw);
  start_cpu_ns_ = thread_cpu_ns();
  start_ns_ = PhaseClock::now_ns();  // last, so that the lifetime contains every charge
  last_cpu_read_cpu_ = start_cpu_ns_;
  last_cpu_read_wall_ = start_ns_;
}

void ThreadMeter::charge_cpu(size_t phase, uint64_t interval, uint64_t now) {
  const uint64_t cpu = thread_cpu_ns();
  ++cpu_reads_[phase];
  // Off the CPU since the last read: the wall time that the CPU clock did not see. It happened in
  // this interval (shorter ones count as on the CPU), so at most the interval.
  const uint64_t wall_span = now - last_cpu_read_wall_;
  const uint64_t cpu_span = cpu - last_cpu_read_cpu_;
  const uint64_t off = std::min(interval, wall_span > cpu_span ? wall_span - cpu_span : 0);
  phase_cpu_ns_[phase] += interval - off;
  phase_off_cpu_ns_[phase] += off;
  last_cpu_read_cpu_ = cpu;
  last_cpu_read_wall_ = now;
}

ThreadReport ThreadMeter::finish() {
  ThreadReport r;
  const uint64_t end_ns = PhaseClock::now_ns();
  r.role = std::move(role_);
  r.lifetime_ns = end_ns - start_ns_;
  r.phase_ns = phase_ns_;
  const uint64_t attributed = r.attributed_ns();
  // Charges are consecutive intervals that start at or after start_ns_ and end before end_ns.
  assert(attributed <= r.lifetime_ns && "phases charged outside the thread's lifetime");
  r.unattributed_ns = r.lifetime_ns - attributed;
  r.phase_cpu_ns = phase_cpu_ns_;
  r.phase_charges = charges_;
  r.phase_cpu_reads = cpu_reads_;
  r.interval_starts = interval_starts_;
  // Off-CPU time inside coordination was spent blocked (or preempted), not coordinating.
  const size_t coord = static_cast<size_t>(Phase::Coordination);
  r.coordination_off_cpu_ns = phase_off_cpu_ns_[coord];
  r.phase_ns[coord] -= r.coordination_off_cpu_ns;
  r.phase_ns[static_cast<size_t>(Phase::Waiting)] += r.coordination_off_cpu_ns;
  r.cpu_ns = thread_cpu_ns() - start_cpu_ns_;
  const rusage ru = thread_usage();
  r.voluntary_switches = static_cast<uint64_t>(ru.ru_nvcsw) - start_voluntary_;
  r.involuntary_switches = static_cast<uint64_t>(ru.ru_nivcsw) - start_involuntary_;
  return r;
}

void apply_instrumentation(ThreadReport& r, double ns_per_charge, double ns_per_cpu_read) {
  auto take = [](uint64_t& from, double cost) {
    const uint64_t taken = std::min(from, static_cast<uint64_t>(cost > 0 ? cost : 0));
    from -= taken;
    return taken;
  };
  for (size_t i = 0; i < kPhaseCount; ++i) {
    const double cost = ns_per_charge * static_cast<double>(r.phase_charges[i]) +
                        ns_per_cpu_read * static_cast<double>(r.phase_cpu_reads[i]);
    const uint64_t taken = take(r.phase_ns[i], cost);
    r.instrumentation_ns += taken;
    // The reads ran on the CPU: their time leaves the phase's CPU time too.
    r.phase_cpu_ns[i] -= std::min(r.phase_cpu_ns[i], taken);
  }
  r.instrumentation_ns +=
      take(r.unattributed_ns, ns_per_charge * static_cast<double>(r.interval_starts));
}

void reset_peak_rss() {
  // "5" resets the peak RSS (VmHWM) to the current RSS.
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  clear.flush();
  peak_reset_worked().store(static_cast<bool>(clear));
}

uint64_t peak_rss_kb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6));
  }
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<uint64_t>(ru.ru_maxrss);
}

bool peak_rss_is_per_run() {
  return peak_reset_worked().load();
}

}  // namespace sg
