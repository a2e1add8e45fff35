// Where a job's threads run when JobConfig::pin_threads is on.
//
// On a shared VM two vCPUs need not run at the same speed, so an unpinned comparison of two
// strategies can end up comparing the two CPUs instead (docs/design-notes.md#thread-placement).
// Pinned, the thread that does partition p's SQL work always runs on the same CPU, whatever the
// strategy: `direct` on the calling thread, and the partition-0 engine thread of lockless_stp,
// adaptive and streaming, all on slot 0's CPU.
//
// Slots: slot 0 is the calling thread, and the engine thread of partition 0 (the caller only
// waits for it); slot p is the engine thread of partition p; a helper thread that runs beside
// them (adaptive's reader, streaming's producer beside its consumer) takes slot `partitions`.
// Slot k runs on the (k mod count)-th of the CPUs this process was allowed when it started
// (taskset narrows them), so extra partitions share CPUs round robin. STREAMGAUGE_CPUS=1,0 puts
// the listed CPUs first, in that order (scripts/run lists the faster CPU first, so that a
// single-threaded cell is never the one held back by a slow core; docs/design-notes.md#cpu-probe).
#pragma once

#include <sched.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sg {

// The CPU for a slot (>= 0), or -1 where this platform cannot say.
int cpu_for_slot(int slot);

// Throws std::invalid_argument naming the problem when STREAMGAUGE_CPUS is set but unusable
// (cpu_for_slot then ignores it). The command line calls it before a pinned run.
void check_slot_cpus();

// "1,0" -> `out` = 1, 0, then the other `allowed` CPUs in order. Returns why `text` is not
// usable (not a number, not allowed, listed twice), or an empty string.
std::string parse_cpu_order(std::string_view text, const std::vector<int>& allowed,
                            std::vector<int>& out);

// The pins refused in this process so far (no CPU known for the slot, or the OS would not move
// the thread), and what the last refusal said. The matrix runner fails a pinned cell whose pass
// saw one: its threads ran partly unpinned, and a figure named /pinned would say otherwise.
struct PinRefusals {
  uint64_t count = 0;
  std::string last;
};
PinRefusals pin_refusals();
// Tests only: while on, every ThreadPin that is switched on is refused as the OS would refuse it.
void refuse_pins_for_testing(bool on);

// Pins the calling thread to cpu_for_slot(slot) when `on`, and gives it back the CPUs it had
// when it goes out of scope; a refusal is counted (pin_refusals()) and the thread runs unpinned. Threads inherit their creator's CPU set, so every thread a pinned
// job starts pins itself too (else it would inherit the caller's single CPU).
class ThreadPin {
 public:
  ThreadPin(bool on, int slot);
  ~ThreadPin();
  ThreadPin(const ThreadPin&) = delete;
  ThreadPin& operator=(const ThreadPin&) = delete;

 private:
  bool pinned_ = false;
  cpu_set_t previous_{};
};

}  // namespace sg
