// Each test case runs in a process of its own under CTest (catch_discover_tests), so glibc's
// single-threaded flag is still set when it starts, unless something started a thread.
#include <catch2/catch.hpp>

#include <sys/single_threaded.h>

#include "harness/job/process_threads.h"

TEST_CASE("job: after leave_single_threaded_mode, libc runs its multi-threaded paths") {
  sg::leave_single_threaded_mode();
  CHECK(__libc_single_threaded == 0);
  sg::leave_single_threaded_mode();  // a second call starts nothing and changes nothing
  CHECK(__libc_single_threaded == 0);
}
