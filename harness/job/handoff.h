// How a record crosses from one thread to another inside a strategy (JobConfig::handoff), seed
// 002's Arc<StreamRecord> question end to end:
//   move       the record has one owner, and the hand-off passes that ownership on (a lent
//              record's pointer passes likewise)
//   share      the receiver gets a new reference (one atomic increment) and the sender drops its
//              own (one decrement, on the sender's core)
//   deep-copy  the receiver gets a fresh copy of the record (one allocation, its values copied)
//              and the sender frees the original
// Read by the strategies that hand records between threads (Setting::Handoff).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/record.h"

namespace sg {

enum class Handoff { Move, Share, DeepCopy };

const char* handoff_name(Handoff h);  // "move", "share", "deep-copy"
std::optional<Handoff> parse_handoff(std::string_view s);
std::string handoff_names();  // "move, share, deep-copy", for messages

// What the receiving side gets for `record` under `h`; `record` keeps its reference unless `h`
// is Move.
inline RecordPtr hand_off(Handoff h, RecordPtr& record) {
  switch (h) {
    case Handoff::Share:
      return record;
    case Handoff::DeepCopy:
      return record.deep_copy();
    case Handoff::Move:
      break;
  }
  return std::move(record);
}

}  // namespace sg
