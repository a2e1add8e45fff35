#include "harness/thread_placement.h"

#include <pthread.h>

#include <cassert>
#include <vector>

namespace sg {
namespace {

// The process's CPUs as at the first call (before any job pinned anything): a pinned thread's
// own mask would otherwise be all there is to see.
const std::vector<int>& allowed_cpus() {
  static const std::vector<int> cpus = [] {
    std::vector<int> out;
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
      for (int c = 0; c < CPU_SETSIZE; ++c)
        if (CPU_ISSET(c, &set)) out.push_back(c);
    }
    return out;
  }();
  return cpus;
}

// Taken before main() runs any job, while the main thread still has the process's whole set.
[[maybe_unused]] const bool captured_at_start = !allowed_cpus().empty();

}  // namespace

int cpu_for_slot(int slot) {
  assert(slot >= 0 && "slots are 0 or more");
  const std::vector<int>& cpus = allowed_cpus();
  if (cpus.empty()) return -1;
  return cpus[static_cast<size_t>(slot) % cpus.size()];
}

ThreadPin::ThreadPin(bool on, int slot) {
  if (!on) return;
  const int cpu = cpu_for_slot(slot);
  if (cpu < 0) return;
  if (pthread_getaffinity_np(pthread_self(), sizeof(previous_), &previous_) != 0) return;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(cpu, &one);
  pinned_ = pthread_setaffinity_np(pthread_self(), sizeof(one), &one) == 0;
}

ThreadPin::~ThreadPin() {
  if (pinned_) pthread_setaffinity_np(pthread_self(), sizeof(previous_), &previous_);
}

}  // namespace sg
