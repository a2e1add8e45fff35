#include "harness/matrix/interruption.h"

#include <atomic>
#include <csignal>

namespace sg {

namespace {

// Lock-free, so storing from a signal handler is safe.
std::atomic<int> g_stop_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void on_stop_signal(int signal) {
  // A second signal changes nothing: the pass in progress still ends and its result is kept
  // (scripts/run forwards a terminal's Ctrl-C, which the child has already seen).
  int none = 0;
  g_stop_signal.compare_exchange_strong(none, signal);
}

}  // namespace

void install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool stop_requested() {
  return g_stop_signal.load(std::memory_order_relaxed) != 0;
}

int stop_signal() {
  return g_stop_signal.load(std::memory_order_relaxed);
}

void request_stop(int signal) {
  on_stop_signal(signal);
}

void clear_stop_request() {
  g_stop_signal.store(0);
}

std::string signal_name(int signal) {
  if (signal == SIGINT) return "SIGINT";
  if (signal == SIGTERM) return "SIGTERM";
  return "signal " + std::to_string(signal);
}

int exit_status_for_signal(int signal) {
  return 128 + signal;
}

}  // namespace sg
