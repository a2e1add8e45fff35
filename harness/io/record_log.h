// An in-memory log of serialized records, the way a Kafka fetch buffer holds them: records are
// encoded once, before timing, and a MaterializingReader decodes each message into a fresh
// record during the pass (docs/design-notes.md#materialized-source).
//
// Encoding (our own; native byte order and unaligned fields, since a log never leaves the
// process). A log is a sequence of messages, each:
//   u32 body length (bytes after this field)
//   body:
//     i64 event_time, i64 offset, i32 partition, u64 key_hash   (RecordMeta, 28 bytes)
//     u32 value count
//     per value: u8 type tag (sg::Type), then its payload:
//       Null: nothing; Integer, Timestamp: i64; Float: the double's 8 bytes; Boolean: u8 0 or 1;
//       String: u32 length + that many bytes
//     u32 header count, then per header: u32 length + key bytes, u32 length + value bytes
// A message that is cut off, overruns its declared length, leaves bytes of it unread, or holds an
// unknown tag is corrupt: decoding it throws SourceError naming its byte offset in the log.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "engine/record.h"
#include "harness/job/data_reader.h"

namespace sg {

class RecordLog {
 public:
  RecordLog() = default;
  // A log of raw bytes as they are (tests make truncated and corrupt logs this way).
  explicit RecordLog(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}
  // Encodes `records` in order.
  static RecordLog encode(std::span<const RecordPtr> records);

  // Appends one message.
  void append(const Record& record);

  std::span<const uint8_t> bytes() const { return bytes_; }
  size_t size() const { return bytes_.size(); }

  // Decodes the message that starts at byte `offset` (< size()) into a fresh record allocated on
  // the calling thread, and returns the offset of the next message. Throws SourceError.
  size_t decode(size_t offset, RecordPtr& out) const;

 private:
  std::vector<uint8_t> bytes_;
};

using SharedRecordLog = std::shared_ptr<const RecordLog>;

}  // namespace sg
