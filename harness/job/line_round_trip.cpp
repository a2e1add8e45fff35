#include "harness/job/line_round_trip.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include "harness/job/statistics.h"
#include "harness/job/thread_placement.h"
#include "harness/queues/blocking_waiter.h"  // cpu_relax

namespace sg {
namespace {

using Clock = std::chrono::steady_clock;

// A probe whose partner is kept off its CPU (a loaded machine, a test run beside others) would
// spin until the host gave it back: past this, the blocks done so far are the figure.
constexpr std::chrono::milliseconds kBudget{20};
constexpr int64_t kStop = -1;

}  // namespace

LineRoundTrip probe_line_round_trip(int blocks, int round_trips_per_block) {
  LineRoundTrip out;
  if (std::thread::hardware_concurrency() < 2 || blocks < 1 || round_trips_per_block < 1)
    return out;
  // One line written in turn by both threads: the caller serves odd values, the partner returns
  // the even ones. alignas keeps anything else off the line.
  struct alignas(64) Line {
    std::atomic<int64_t> value{0};
  } line;
  ThreadPin pin(true, 0);
  std::thread partner([&] {
    ThreadPin partner_pin(true, 1);
    for (int64_t expect = 1;; expect += 2) {
      int64_t seen;
      while ((seen = line.value.load(std::memory_order_acquire)) != expect) {
        if (seen == kStop) return;
        cpu_relax();
      }
      line.value.store(expect + 1, std::memory_order_release);
    }
  });
  std::vector<double> per_block;
  per_block.reserve(size_t(blocks));
  const Clock::time_point began = Clock::now();
  int64_t v = 0;
  for (int b = 0; b < blocks && Clock::now() - began < kBudget; ++b) {
    const Clock::time_point start = Clock::now();
    for (int i = 0; i < round_trips_per_block; ++i) {
      line.value.store(++v, std::memory_order_release);
      ++v;
      while (line.value.load(std::memory_order_acquire) != v) cpu_relax();
    }
    per_block.push_back(std::chrono::duration<double, std::nano>(Clock::now() - start).count() /
                        round_trips_per_block);
  }
  line.value.store(kStop, std::memory_order_release);
  partner.join();
  out.ns = median(per_block);
  out.blocks = static_cast<int>(per_block.size());
  out.round_trips_per_block = round_trips_per_block;
  return out;
}

}  // namespace sg
