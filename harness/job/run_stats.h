// What one thread of a run measured about itself: time per phase, CPU time, context switches.
//
// Every thread that takes part in a run (the job thread that calls Strategy::run, a reader
// thread, workers, a producer) owns one ThreadMeter. The meter's lifetime is the thread's time in
// the run; phases are charged as consecutive intervals inside it, so by construction
//   sum(phases) + unattributed == lifetime   and   unattributed >= 0.
// Whatever a strategy forgot to charge stays visible as `unattributed` instead of vanishing (the
// seeds reported phases of 0.000 s inside runs of several seconds).
//
// With phase timing on, each phase also carries its CPU time, so that the time a thread spent off
// the CPU inside `coordination` (blocked on a lock, a full or empty queue, or preempted) is
// booked as `waiting`: coordination is only the CPU work of coordinating. The thread's CPU clock
// is a system call (hundreds of ns here), so it is read only when a charged interval lasted at
// least kCpuReadAfterNs: off-CPU time since the previous CPU read (wall minus CPU) goes to that
// interval, and shorter intervals count as on the CPU (a thread blocked or preempted is away for
// longer). Charges and CPU reads are counted, so that what the reads themselves cost can be taken
// out of the phases as an `instrumentation` row (apply_instrumentation) once the matrix has
// calibrated one of each.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "harness/job/phase_clock.h"

namespace sg {

enum class Phase : uint8_t {
  Setup,         // job thread: engines instantiated, threads started, streams created
  Read,          // DataReader::read
  Engine,        // Engine::process / process_batch / finish
  Write,         // DataWriter::write
  Coordination,  // locks, queue pushes and pops that did not block, routing, commits
  Waiting,       // blocked: on a full or empty queue, on a join, on a channel
  Teardown,      // job thread: after the last thread is joined, before the result is complete;
                 // a stream's producer: freeing its engine
};
inline constexpr size_t kPhaseCount = 7;
const char* phase_name(Phase p);

using PhaseNs = std::array<uint64_t, kPhaseCount>;
using PhaseCounts = std::array<uint64_t, kPhaseCount>;

struct ThreadReport {
  std::string role;  // "job", "reader", "worker 0", "partition 1", "producer"
  uint64_t lifetime_ns = 0;
  PhaseNs phase_ns{};
  // lifetime_ns - sum(phase_ns) - instrumentation_ns, never negative
  uint64_t unattributed_ns = 0;
  PhaseNs phase_cpu_ns{};       // CPU time inside each phase's intervals, as charged
  PhaseCounts phase_charges{};  // intervals charged to each phase: one wall clock read each
  PhaseCounts phase_cpu_reads{};  // CPU clock reads at the end of a long interval, per phase
  uint64_t interval_starts = 0;  // ThreadMeter::now() calls: wall clock reads that began one
  uint64_t coordination_off_cpu_ns = 0;  // moved from coordination to waiting
  uint64_t instrumentation_ns = 0;  // the clock reads' own cost, once apply_instrumentation ran
  uint64_t cpu_ns = 0;           // CLOCK_THREAD_CPUTIME_ID over the lifetime
  uint64_t voluntary_switches = 0;
  uint64_t involuntary_switches = 0;
  // Records this thread ran through its engine, where it owns one (a partition, a worker): how a
  // job's work was split, which the overhead model reads to find the longest partition.
  uint64_t records = 0;

  uint64_t attributed_ns() const;
  nlohmann::json to_json() const;
};

class ThreadMeter {
 public:
  // Starts the lifetime now, on the calling thread (CPU time and context switches are read
  // for the calling thread, so construct and finish the meter on the thread it measures).
  ThreadMeter(std::string role, bool phase_timing);

  // Intervals at least this long read the CPU clock (see the top of this file).
  static constexpr uint64_t kCpuReadAfterNs = 10'000;

  // Returns the time to charge from; 0 when phase timing is off.
  uint64_t now() const {
    if (!timing_) return 0;
    ++interval_starts_;
    return PhaseClock::now_ns();
  }
  // Charges the time since `since` to `phase` and moves `since` to now, so consecutive charges
  // cover consecutive, non-overlapping intervals.
  void charge(Phase phase, uint64_t& since) {
    if (!timing_) return;
    const uint64_t t = PhaseClock::now_ns();
    const size_t i = static_cast<size_t>(phase);
    const uint64_t interval = t - since;
    phase_ns_[i] += interval;
    ++charges_[i];
    if (interval >= kCpuReadAfterNs) {
      charge_cpu(i, interval, t);
    } else {
      phase_cpu_ns_[i] += interval;  // too short to have been off the CPU
    }
    since = t;
  }
  bool timing() const { return timing_; }
  uint64_t start_ns() const { return start_ns_; }

  // Ends the lifetime and returns the report. Call once, on the measured thread.
  ThreadReport finish();

 private:
  std::string role_;
  bool timing_;
  uint64_t start_ns_;
  uint64_t start_cpu_ns_;
  uint64_t start_voluntary_;
  uint64_t start_involuntary_;
  void charge_cpu(size_t phase, uint64_t interval, uint64_t now);

  PhaseNs phase_ns_{};
  PhaseNs phase_cpu_ns_{};
  PhaseNs phase_off_cpu_ns_{};
  PhaseCounts charges_{};
  PhaseCounts cpu_reads_{};
  uint64_t last_cpu_read_cpu_ = 0;   // the CPU clock at the last CPU read
  uint64_t last_cpu_read_wall_ = 0;  // the wall clock then
  mutable uint64_t interval_starts_ = 0;
};

// Takes the clock reads' own cost out of the phases they landed in: `ns_per_charge` (a charge's
// wall clock read and bookkeeping, calibrated) times each phase's charges plus `ns_per_cpu_read`
// times its CPU reads, at most the phase's time, and the interval starts' reads out of
// `unattributed`, and as much out of each phase's CPU time. The sum moves to instrumentation_ns, so
//   sum(phases) + instrumentation + unattributed == lifetime   still holds.
void apply_instrumentation(ThreadReport& report, double ns_per_charge, double ns_per_cpu_read);

// Peak resident set size of the process. reset_peak_rss() asks the kernel to restart the
// high-water mark (Linux >= 4.0, /proc/self/clear_refs); where that is refused the peak covers
// the whole process so far, and peak_rss_is_per_run() says so.
void reset_peak_rss();
uint64_t peak_rss_kb();
bool peak_rss_is_per_run();

}  // namespace sg
