// main() for the bench_* binaries: Google Benchmark's, except that a bare run is quick.
//
// Google Benchmark runs each benchmark for 0.5 s by default; with dozens of benchmarks per binary
// that is minutes. Unless the command line says otherwise, each one runs for kQuickMinTime
// instead (enough for the nanosecond-scale operations measured here to settle); pass
// --benchmark_min_time=N for fuller runs (scripts/microbench --min-time N).
#pragma once

#include <cstring>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "harness/job/process_threads.h"

namespace sg::bench {

inline constexpr const char* kQuickMinTime = "--benchmark_min_time=0.05";

inline int quick_main(int argc, char** argv) {
  std::vector<char*> args(argv, argv + argc);
  bool has_min_time = false;
  for (int i = 1; i < argc; ++i) {
    has_min_time = has_min_time || std::strncmp(argv[i], "--benchmark_min_time", 20) == 0;
  }
  std::string quick = kQuickMinTime;
  if (!has_min_time) args.insert(args.begin() + 1, quick.data());
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  // The harness always runs with several threads: time its multi-threaded libc paths.
  sg::leave_single_threaded_mode();
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace sg::bench

#define SG_BENCHMARK_MAIN()                   \
  int main(int argc, char** argv) {           \
    return sg::bench::quick_main(argc, argv); \
  }
