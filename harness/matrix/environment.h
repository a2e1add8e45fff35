// The machine fingerprint every result file carries, so that a figure is never read without
// knowing where and how it was taken.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace sg {

struct Environment {
  std::string commit;        // git describe of the source tree, "+dirty" when modified
  std::string compiler;      // e.g. "GNU 12.2.0"
  std::string build_type;    // CMake build type
  std::string cxx_flags;     // the flags the harness was compiled with
  std::string sanitizer;     // "", "address" or "thread"
  std::string allocator;     // the malloc really in use: "tcmalloc 2.10" or "glibc malloc"
  std::string cpu_model;
  unsigned cores = 0;        // online CPUs
  std::string kernel;        // uname -sr
  std::string governor;      // cpufreq governor of cpu0, or "unknown (not readable)"
  std::string hostname;
  std::string date_utc;      // ISO-8601
  std::string command;       // the exact command line
  std::string slot_cpus;     // pinned jobs' slots 0, 1, ... in CPU order, e.g. "1,0"
};

// Reads the environment now. `argc/argv` give the command line to record.
Environment capture_environment(int argc, const char* const* argv);
nlohmann::json to_json(const Environment& env);
Environment environment_from_json(const nlohmann::json& j);
// One line: "Intel Xeon ... x2 cores, Linux 6.1, GNU 12.2.0 -O2 ..., commit abc123".
std::string one_line(const Environment& env);

}  // namespace sg
