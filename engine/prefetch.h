// Prefetching the input records of a batch.
//
// Input records sit wherever the reader allocated them, usually out of cache by the time the
// engine sees them, and an operator's work per record is short enough that waiting for each
// record's memory would dominate it. So batch loops ask for record i + 8 before working on
// record i. Strings are not prefetched: keys and symbols are short enough to be held inside the
// record (value.h), and looking for the rare long one cost more than it saved.
#pragma once

#include <cstddef>
#include <span>

#include "engine/record.h"

namespace sg {

// A prefetch the optimiser must keep. GCC treats __builtin_prefetch as free of side effects, so
// a loop of nothing but prefetches counts as dead code (-ffinite-loops) and vanishes; a
// volatile asm cannot.
inline void prefetch(const void* address) {
#if defined(__x86_64__)
  asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(address)));
#else
  __builtin_prefetch(address);
#endif
}

inline void prefetch_ahead(std::span<const RecordPtr> in, size_t i) {
  constexpr size_t kRecordsAhead = 8;
  if (i + kRecordsAhead < in.size()) {
    const char* p = reinterpret_cast<const char*>(in[i + kRecordsAhead].get());
    prefetch(p);
    prefetch(p + 64);
    prefetch(p + 128);
  }
}

}  // namespace sg
