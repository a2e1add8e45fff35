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

// The caller's side of a probe over `line`, whose partner returns the even values: `blocks` blocks
// of round trips, none started after kBudget. Ends by storing kStop.
template <class Line>
LineRoundTrip time_round_trips(Line& line, int blocks, int round_trips_per_block) {
  LineRoundTrip out;
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
  out.ns = median(per_block);
  out.blocks = static_cast<int>(per_block.size());
  out.round_trips_per_block = round_trips_per_block;
  return out;
}

// The partner's side: returns each odd value as the next even one until kStop.
template <class Line>
void serve_round_trips(Line& line) {
  for (int64_t expect = 1;; expect += 2) {
    int64_t seen;
    while ((seen = line.value.load(std::memory_order_acquire)) != expect) {
      if (seen == kStop) return;
      cpu_relax();
    }
    line.value.store(expect + 1, std::memory_order_release);
  }
}

// One line written in turn by both threads; alignas keeps anything else off it.
struct alignas(64) Line {
  std::atomic<int64_t> value{0};
};

bool can_probe(int blocks, int round_trips_per_block) {
  return std::thread::hardware_concurrency() >= 2 && blocks >= 1 && round_trips_per_block >= 1;
}

}  // namespace

LineRoundTrip probe_line_round_trip(int blocks, int round_trips_per_block) {
  if (!can_probe(blocks, round_trips_per_block)) return {};
  Line line;
  ThreadPin pin(true, 0);
  std::thread partner([&] {
    ThreadPin partner_pin(true, 1);
    serve_round_trips(line);
  });
  const LineRoundTrip out = time_round_trips(line, blocks, round_trips_per_block);
  partner.join();
  return out;
}

struct LineProber::State {
  Line line;
  alignas(64) std::atomic<uint64_t> asked{0};  // probes asked for; kQuit: the partner ends
  std::atomic<uint64_t> served{0};             // probes the partner has finished serving
  EventCount wake;
  std::thread partner;
  static constexpr uint64_t kQuit = ~uint64_t{0};

  // Sleeps until asked past `done` (true) or told to quit (false).
  bool wait_past(uint64_t done) {
    for (;;) {
      const uint64_t a = asked.load(std::memory_order_acquire);
      if (a == kQuit) return false;
      if (a > done) return true;
      EventCount::Key key = wake.prepare_wait();
      const uint64_t again = asked.load(std::memory_order_acquire);
      if (again == kQuit || again > done) {
        wake.cancel_wait();
        continue;
      }
      wake.wait(key);
    }
  }
};

LineProber::LineProber() : state_(std::make_unique<State>()) {
  if (!can_probe(1, 1)) return;
  State& s = *state_;
  s.partner = std::thread([&s] {
    ThreadPin partner_pin(true, 1);
    for (uint64_t done = 0; s.wait_past(done);) {
      serve_round_trips(s.line);
      s.served.store(++done, std::memory_order_release);
    }
  });
}

LineProber::~LineProber() {
  if (!state_->partner.joinable()) return;
  state_->asked.store(State::kQuit, std::memory_order_release);
  state_->wake.notify();
  state_->partner.join();
}

LineRoundTrip LineProber::probe(int blocks, int round_trips_per_block) {
  State& s = *state_;
  if (!s.partner.joinable() || !can_probe(blocks, round_trips_per_block)) return {};
  ThreadPin pin(true, 0);
  // The partner finished the last probe before it returned, so nobody reads the line now.
  s.line.value.store(0, std::memory_order_relaxed);
  const uint64_t n = s.asked.load(std::memory_order_relaxed) + 1;
  s.asked.store(n, std::memory_order_release);
  s.wake.notify();
  const LineRoundTrip out = time_round_trips(s.line, blocks, round_trips_per_block);
  // Back to sleep before the next probe resets the line.
  while (s.served.load(std::memory_order_acquire) != n) cpu_relax();
  return out;
}

}  // namespace sg
