#include "harness/job/thread_placement.h"

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace sg {
namespace {

// The process's CPUs as at start-up (before any job pinned anything): a pinned thread's own mask
// would otherwise be all there is to see.
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

struct SlotOrder {
  std::vector<int> cpus;
  std::string error;  // why STREAMGAUGE_CPUS was not usable; empty when it was (or is unset)
};

const SlotOrder& slot_order() {
  static const SlotOrder order = [] {
    SlotOrder o;
    const char* env = std::getenv("STREAMGAUGE_CPUS");
    std::string text = env ? env : "";
    if (!text.empty()) {
      o.error = parse_cpu_order(text, allowed_cpus(), o.cpus);
      if (!o.error.empty()) o.error = fmt::format("STREAMGAUGE_CPUS='{}': {}", text, o.error);
    }
    if (o.cpus.empty() || !o.error.empty()) o.cpus = allowed_cpus();
    return o;
  }();
  return order;
}

std::mutex refusals_mutex;
PinRefusals refusals;  // under refusals_mutex
std::atomic<bool> refuse_for_testing{false};

void refuse(std::string why) {
  std::lock_guard lock(refusals_mutex);
  ++refusals.count;
  refusals.last = std::move(why);
}

}  // namespace

PinRefusals pin_refusals() {
  std::lock_guard lock(refusals_mutex);
  return refusals;
}

void refuse_pins_for_testing(bool on) {
  refuse_for_testing.store(on);
}

std::string parse_cpu_order(std::string_view text, const std::vector<int>& allowed,
                            std::vector<int>& out) {
  out.clear();
  size_t at = 0;
  while (at <= text.size()) {
    const size_t comma = std::min(text.find(',', at), text.size());
    const std::string_view item = text.substr(at, comma - at);
    int cpu = -1;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), cpu);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size() || cpu < 0)
      return fmt::format("'{}' at character {} is not a CPU number (expected e.g. 1,0)", item,
                         at + 1);
    if (std::find(allowed.begin(), allowed.end(), cpu) == allowed.end())
      return fmt::format("CPU {} is not one this process may use", cpu);
    if (std::find(out.begin(), out.end(), cpu) != out.end())
      return fmt::format("CPU {} is listed twice", cpu);
    out.push_back(cpu);
    at = comma + 1;
  }
  for (int cpu : allowed)  // the CPUs not listed follow, in their usual order
    if (std::find(out.begin(), out.end(), cpu) == out.end()) out.push_back(cpu);
  return {};
}

void check_slot_cpus() {
  if (!slot_order().error.empty()) throw std::invalid_argument(slot_order().error);
}

int cpu_for_slot(int slot) {
  assert(slot >= 0 && "slots are 0 or more");
  const std::vector<int>& cpus = slot_order().cpus;
  if (cpus.empty()) return -1;
  return cpus[static_cast<size_t>(slot) % cpus.size()];
}

ThreadPin::ThreadPin(bool on, int slot) {
  if (!on) return;
  const int cpu = cpu_for_slot(slot);
  if (cpu < 0) {
    refuse(fmt::format("slot {}: this platform names no CPU for it", slot));
    return;
  }
  int rc = pthread_getaffinity_np(pthread_self(), sizeof(previous_), &previous_);
  if (rc == 0) {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    rc = refuse_for_testing.load() ? EINVAL
                                   : pthread_setaffinity_np(pthread_self(), sizeof(one), &one);
  }
  pinned_ = rc == 0;
  if (!pinned_)
    refuse(fmt::format("slot {} -> CPU {}: pthread affinity call failed: {}", slot, cpu,
                       std::strerror(rc)));
}

ThreadPin::~ThreadPin() {
  if (pinned_) pthread_setaffinity_np(pthread_self(), sizeof(previous_), &previous_);
}

}  // namespace sg
