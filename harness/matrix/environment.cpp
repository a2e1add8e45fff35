#include "harness/matrix/environment.h"

#include <dlfcn.h>
#include <gnu/libc-version.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "harness/job/thread_placement.h"

#ifndef STREAMGAUGE_GIT_COMMIT
#define STREAMGAUGE_GIT_COMMIT "unknown"
#endif
#ifndef STREAMGAUGE_BUILD_TYPE
#define STREAMGAUGE_BUILD_TYPE "unknown"
#endif
#ifndef STREAMGAUGE_CXX_FLAGS
#define STREAMGAUGE_CXX_FLAGS "unknown"
#endif
#ifndef STREAMGAUGE_SANITIZER
#define STREAMGAUGE_SANITIZER ""
#endif

namespace sg {

static std::string read_first_line(const char* path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return "";
  return line;
}

static std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(colon + 2);
    }
  }
  return "unknown";
}

// The commit of the source tree the binary was built from. Asked of git at run time (the
// configure-time value goes stale after the next commit without a re-configure).
static std::string git_commit() {
#ifdef STREAMGAUGE_SOURCE_DIR
  std::string cmd = "git -C '" STREAMGAUGE_SOURCE_DIR "' describe --always --dirty 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
  if (pipe) {
    std::array<char, 128> buf{};
    if (fgets(buf.data(), buf.size(), pipe.get())) {
      std::string out(buf.data());
      while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
      if (!out.empty()) return out;
    }
  }
#endif
  return STREAMGAUGE_GIT_COMMIT;
}

// Asks the running process, not the build: an allocator may also come in through LD_PRELOAD, and
// a sanitizer build keeps the system malloc whatever was configured.
static std::string allocator_in_use() {
  using MiVersion = int (*)();  // mimalloc: major * 100 + minor * 10 + patch, e.g. 209
  if (auto version = reinterpret_cast<MiVersion>(dlsym(RTLD_DEFAULT, "mi_version"))) {
    const int v = version();
    return fmt::format("mimalloc {}.{}.{}", v / 100, v / 10 % 10, v % 10);
  }
  using TcVersion = const char* (*)(int*, int*, const char**);
  if (auto version = reinterpret_cast<TcVersion>(dlsym(RTLD_DEFAULT, "tc_version"))) {
    int major = 0, minor = 0;
    const char* patch = "";
    version(&major, &minor, &patch);
    return fmt::format("tcmalloc {}.{}{}", major, minor, patch ? patch : "");
  }
  return fmt::format("glibc malloc {}", gnu_get_libc_version());
}

Environment capture_environment(int argc, const char* const* argv) {
  Environment env;
  env.commit = git_commit();
#if defined(__clang__)
  env.compiler = fmt::format("Clang {}.{}.{}", __clang_major__, __clang_minor__, __clang_patchlevel__);
#elif defined(__GNUC__)
  env.compiler = fmt::format("GNU {}.{}.{}", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
#else
  env.compiler = "unknown";
#endif
  env.build_type = STREAMGAUGE_BUILD_TYPE;
  env.cxx_flags = STREAMGAUGE_CXX_FLAGS;
  env.sanitizer = STREAMGAUGE_SANITIZER;
  env.allocator = allocator_in_use();
  env.cpu_model = cpu_model();
  long online = sysconf(_SC_NPROCESSORS_ONLN);
  env.cores = online > 0 ? static_cast<unsigned>(online) : 0;
  struct utsname u {};
  if (uname(&u) == 0) {
    env.kernel = fmt::format("{} {}", u.sysname, u.release);
    env.hostname = u.nodename;
  }
  env.governor = read_first_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
  if (env.governor.empty()) env.governor = "unknown (not readable)";
  env.date_utc = fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::time(nullptr)));
  for (unsigned slot = 0; slot < std::max(env.cores, 1u); ++slot)
    env.slot_cpus += (slot ? "," : "") + std::to_string(cpu_for_slot(static_cast<int>(slot)));
  for (int i = 0; i < argc; ++i) {
    if (i) env.command += ' ';
    env.command += argv[i];
  }
  return env;
}

nlohmann::json to_json(const Environment& e) {
  return {{"commit", e.commit},       {"compiler", e.compiler},   {"build_type", e.build_type},
          {"cxx_flags", e.cxx_flags}, {"sanitizer", e.sanitizer}, {"allocator", e.allocator},
          {"cpu_model", e.cpu_model},
          {"cores", e.cores},         {"kernel", e.kernel},       {"governor", e.governor},
          {"hostname", e.hostname},   {"date_utc", e.date_utc},   {"command", e.command},
          {"slot_cpus", e.slot_cpus}};
}

Environment environment_from_json(const nlohmann::json& j) {
  Environment e;
  e.commit = j.value("commit", "");
  e.compiler = j.value("compiler", "");
  e.build_type = j.value("build_type", "");
  e.cxx_flags = j.value("cxx_flags", "");
  e.sanitizer = j.value("sanitizer", "");
  e.allocator = j.value("allocator", "unknown (not recorded)");
  e.cpu_model = j.value("cpu_model", "");
  e.cores = j.value("cores", 0u);
  e.kernel = j.value("kernel", "");
  e.governor = j.value("governor", "");
  e.hostname = j.value("hostname", "");
  e.date_utc = j.value("date_utc", "");
  e.command = j.value("command", "");
  e.slot_cpus = j.value("slot_cpus", "");
  return e;
}

std::string one_line(const Environment& e) {
  return fmt::format("{} x{} cores, {}, {} {} ({}){}, {}, commit {}", e.cpu_model, e.cores,
                     e.kernel, e.compiler, e.cxx_flags, e.build_type,
                     e.sanitizer.empty() ? "" : ", sanitizer " + e.sanitizer, e.allocator, e.commit);
}

}  // namespace sg
