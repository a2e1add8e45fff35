// Two threads that take turns, for the cross-core microbenches: the benchmark's thread, pinned to
// CPU slot 0, does its side, then hands the turn to a thread pinned to slot 1, which does the
// other side and hands it back. By default the other thread spins rather than sleeps, so no
// wake-up is in either side's time (wake-ups are priced apart: thread/ping_pong/atomic_wait), and
// neither side's time holds the other's work. Split into pass() and take_back(), the caller works
// while the other side runs; OtherWaits::Sleeping blocks the other thread between turns, as a
// consumer that found nothing to do does.
#pragma once

#include <atomic>
#include <thread>
#include <utility>

#include "harness/job/thread_placement.h"
#include "harness/queues/blocking_waiter.h"  // cpu_relax

namespace sg::bench {

enum class OtherWaits { Spinning, Sleeping };

template <class OtherSide>
class TakingTurns {
 public:
  // Pins the calling thread to slot 0 and starts the other one, which runs `other_side()` once
  // per hand_over(). What it writes is the caller's to read after hand_over() returns.
  explicit TakingTurns(OtherSide other_side, OtherWaits waits = OtherWaits::Spinning)
      : pin_(true, 0),
        other_side_(std::move(other_side)),
        sleeps_(waits == OtherWaits::Sleeping),
        thread_([this] { run(); }) {}
  ~TakingTurns() {
    take_back();  // a turn still out would overwrite kStop when it ends
    set(kStop);
    thread_.join();
  }
  TakingTurns(const TakingTurns&) = delete;
  TakingTurns& operator=(const TakingTurns&) = delete;

  // Runs the other side once, on its thread, and returns when it is done.
  void hand_over() {
    pass();
    take_back();
  }
  // hand_over() in two halves: the other side starts, and the caller may work until take_back().
  void pass() { set(kTheirs); }
  void take_back() {
    while (turn_.load(std::memory_order_acquire) != kMine) cpu_relax();
  }

 private:
  static constexpr int kMine = 0, kTheirs = 1, kStop = 2;

  void run() {
    ThreadPin pin(true, 1);
    for (;;) {
      int turn;
      if (sleeps_) turn_.wait(kMine, std::memory_order_acquire);
      while ((turn = turn_.load(std::memory_order_acquire)) == kMine) cpu_relax();
      if (turn == kStop) return;
      other_side_();
      turn_.store(kMine, std::memory_order_release);
    }
  }

  void set(int turn) {
    turn_.store(turn, std::memory_order_release);
    if (sleeps_) turn_.notify_one();
  }

  ThreadPin pin_;
  OtherSide other_side_;
  const bool sleeps_;
  alignas(64) std::atomic<int> turn_{kMine};
  std::thread thread_;  // declared last: it starts once the rest is built
};

}  // namespace sg::bench
