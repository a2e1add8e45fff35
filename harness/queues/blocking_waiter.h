// How a queue side waits for the other without a sleep loop and without lost wake-ups.
//
// An EventCount turns "retry a non-blocking operation until it succeeds" into blocking: the
// waiter announces itself (prepare_wait), retries once more, and only then sleeps on a futex
// (the Linux futex directly; std::atomic::wait elsewhere, see below). The other side calls notify()
// after every change that could unblock a waiter; notify() costs one uncontended atomic
// read-modify-write and issues no system call unless a waiter announced itself. That keeps the fast
// path (nobody waiting) cheap, which is what the queue microbenches measure.
//
// Why no wake-up is lost: prepare_wait() and notify() are both read-modify-writes of one word, so
// one of them comes first in that word's modification order.
//   - notify() first: the waiter's RMW reads notify()'s value (acq_rel), so everything the
//     notifier published before notify() (the pushed item, the closed flag) is visible to the
//     waiter's re-check, which then succeeds instead of sleeping.
//   - prepare_wait() first: notify() sees the waiter count, bumps the epoch and wakes; the
//     waiter's wait() sees an epoch different from the one it announced and returns.
// Only read-modify-writes with acquire/release are used (no standalone fences), so
// ThreadSanitizer understands every edge.
#pragma once

#include <atomic>
#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif
#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <ctime>
#endif

namespace sg {

// One iteration of a spin-wait: tells the CPU we are spinning (frees the sibling hyper-thread,
// avoids a memory-order mis-speculation penalty when the awaited write lands).
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// How many times a side retries (with cpu_relax) before it blocks. Short on purpose: a hand-off
// between two running threads completes within it, while a side whose peer is descheduled (two
// cores shared by several processes) gives its core up after a few microseconds.
inline constexpr int kSpinBeforeBlocking = 64;

class EventCount {
 public:
  using Key = uint32_t;

  // Announces a waiter and returns the key to wait on. After this, re-check the condition: if
  // it holds, call cancel_wait(); otherwise call wait(key).
  Key prepare_wait() { return word_.fetch_add(1, std::memory_order_acq_rel); }
  void cancel_wait() { word_.fetch_sub(1, std::memory_order_relaxed); }

  // Sleeps until a notify() that came after prepare_wait() returned `key` (true), or for at most
  // kWaitLimitNs (false), after which the caller re-checks its condition as after a wake-up. The
  // limit is a safety net against a lost wake-up, not a poll: a stall is bounded and counted
  // instead of hanging the job (design-notes#lost-wakeup).
  bool wait(Key key) {
    uint32_t current = word_.load(std::memory_order_acquire);
    bool woken = true;
    while (epoch(current) == epoch(key)) {
      if (!sleep_while_equal(current)) {
        current = word_.load(std::memory_order_acquire);
        woken = epoch(current) != epoch(key);
        break;
      }
      current = word_.load(std::memory_order_acquire);
    }
    word_.fetch_sub(1, std::memory_order_relaxed);
    return woken;
  }

  static constexpr long kWaitLimitNs = 10'000'000;  // 10 ms

  // Call after publishing a change a waiter may be waiting for. Wakes every announced waiter.
  void notify() {
    // An RMW that adds nothing: it is what orders this call against prepare_wait() (see above).
    if ((word_.fetch_add(0, std::memory_order_acq_rel) & kWaiterMask) == 0) return;
    word_.fetch_add(kEpochStep, std::memory_order_acq_rel);
    wake_all();
  }

 private:
  // Low 16 bits: announced waiters (one per queue side here). High 16 bits: the epoch, bumped by
  // each notify() that found a waiter; it wraps, which is harmless because a waiter only needs
  // "different from my key", and 65536 wake-ups cannot happen between its announce and its wait
  // while it is the one they would be waking.
  static constexpr uint32_t kWaiterMask = 0xffff;
  static constexpr uint32_t kEpochStep = 0x10000;
  static uint32_t epoch(uint32_t word) { return word & ~kWaiterMask; }

  // On Linux, the futex itself. libstdc++'s std::atomic::wait spins first and then calls
  // sched_yield() a few times before it sleeps; on a loaded machine each yield can hand the core
  // to another process for a whole time slice (docs/design-notes.md#futex-wait). We have spun
  // already, so go straight to sleep.
#if defined(__linux__)
  static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t) &&
                    std::atomic<uint32_t>::is_always_lock_free,
                "the futex syscall needs the atomic to be a plain 32-bit word");
  uint32_t* futex_word() {
    return reinterpret_cast<uint32_t*>(&word_);
  }
  // False when kWaitLimitNs passed. Returns at once if the word already changed (EAGAIN), on a
  // wake-up, or spuriously (EINTR): the caller re-checks in every case.
  bool sleep_while_equal(uint32_t expected) {
    const timespec limit{0, kWaitLimitNs};
    return syscall(SYS_futex, futex_word(), FUTEX_WAIT_PRIVATE, expected, &limit, nullptr, 0) ==
               0 ||
           errno != ETIMEDOUT;
  }
  void wake_all() {
    syscall(SYS_futex, futex_word(), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr, nullptr, 0);
  }
#else
  // std::atomic::wait has no time limit: elsewhere the safety net is off.
  bool sleep_while_equal(uint32_t expected) {
    word_.wait(expected, std::memory_order_acquire);
    return true;
  }
  void wake_all() {
    word_.notify_all();
  }
#endif

  std::atomic<uint32_t> word_{0};
};

}  // namespace sg
