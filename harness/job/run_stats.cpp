#include "harness/job/run_stats.h"

#include <sys/resource.h>
#include <time.h>

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
  return {{"role", role},
          {"lifetime_ns", lifetime_ns},
          {"phase_ns", phases},
          {"cpu_ns", cpu_ns},
          {"voluntary_switches", voluntary_switches},
          {"involuntary_switches", involuntary_switches}};
}

ThreadMeter::ThreadMeter(std::string role, bool phase_timing)
    : role_(std::move(role)), timing_(phase_timing) {
  const rusage ru = thread_usage();
  start_voluntary_ = static_cast<uint64_t>(ru.ru_nvcsw);
  start_involuntary_ = static_cast<uint64_t>(ru.ru_nivcsw);
  start_cpu_ns_ = thread_cpu_ns();
  start_ns_ = PhaseClock::now_ns();  // last, so that the lifetime contains every charge
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
  r.cpu_ns = thread_cpu_ns() - start_cpu_ns_;
  const rusage ru = thread_usage();
  r.voluntary_switches = static_cast<uint64_t>(ru.ru_nvcsw) - start_voluntary_;
  r.involuntary_switches = static_cast<uint64_t>(ru.ru_nivcsw) - start_involuntary_;
  return r;
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
