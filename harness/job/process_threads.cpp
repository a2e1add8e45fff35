#include "harness/job/process_threads.h"

#include <mutex>
#include <thread>

namespace sg {

void leave_single_threaded_mode() {
  static std::once_flag once;
  std::call_once(once, [] { std::thread([] {}).join(); });
}

}  // namespace sg
