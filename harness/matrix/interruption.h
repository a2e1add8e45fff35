// SIGINT and SIGTERM ask a running matrix to stop after the pass in progress: the handler only
// records the signal, and the runner checks stop_requested() between passes, so every pass that
// counts ran to its end and its result is kept (harness/matrix/matrix_journal.h).
#pragma once

#include <string>

namespace sg {

// Installs the handlers for SIGINT and SIGTERM (idempotent). Without them the signals keep their
// default action and stop_requested() only answers request_stop().
void install_stop_handlers();
// True once a stop was asked for; stop_signal() says by which signal (0: none).
bool stop_requested();
int stop_signal();
// What the handler does; tests call it directly.
void request_stop(int signal);
void clear_stop_request();
// "SIGINT", "SIGTERM", or "signal N".
std::string signal_name(int signal);
// The conventional exit status of a process stopped by `signal`: 128 + signal (130, 143).
int exit_status_for_signal(int signal);

}  // namespace sg
