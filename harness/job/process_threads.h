// glibc takes shortcuts while a process has never started a second thread: a std::mutex lock and
// unlock without atomic instructions, for one (design-notes#single-threaded-libc). A harness
// process has started threads by the time it times all but its first cells, and a microbench
// binary often has not, so the same lock would cost less in some figures than in others. Every
// program that times something calls this first, so that all of them time the multi-threaded
// paths a pipeline runs on.
#pragma once

namespace sg {

// Starts and joins one thread, once per process; glibc never goes back to single-threaded.
void leave_single_threaded_mode();

}  // namespace sg
