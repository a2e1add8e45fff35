// Prefetching the input records of a batch.
//
// Input records sit wherever the reader allocated them, usually out of cache by the time the
// engine sees them, and an operator's work per record is short enough that waiting for each
// record's memory would dominate it. So batch loops ask for record i + 8 and for the strings of
// record i + 4 (whose header is in cache by then) before working on record i.
#pragma once

#include <cstddef>
#include <span>

#include "engine/record.h"

namespace sg {

inline void prefetch_ahead(std::span<const RecordPtr> in, size_t i) {
  constexpr size_t kRecordsAhead = 8;
  constexpr size_t kStringsAhead = 4;
  if (i + kRecordsAhead < in.size()) {
    const char* p = reinterpret_cast<const char*>(in[i + kRecordsAhead].get());
    __builtin_prefetch(p);
    __builtin_prefetch(p + 64);
    __builtin_prefetch(p + 128);
  }
  if (i + kStringsAhead < in.size()) {
    for (const Value& v : in[i + kStringsAhead]->values_span()) {
      // Only the address is used, so the string's own memory is not read here.
      if (v.type() == Type::String) __builtin_prefetch(v.as_string().data());
    }
  }
}

}  // namespace sg
