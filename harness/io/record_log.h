// An in-memory log of serialized records, the way a Kafka fetch buffer holds them: records are
// encoded once, before timing, and a MaterializingReader decodes each message into a fresh
// record during the pass (docs/design-notes.md#materialized-source).
//
// Encoding (our own, schema-first like Avro's; native byte order and unaligned fields, since a log
// never leaves the process). encode() fixes the log's schema from its records: how each field is
// written, whether messages carry a value count and headers. A log is a sequence of messages:
//   u32 body length (bytes after this field)
//   body:
//     i64 event_time, i64 offset, i32 partition, u64 key_hash   (RecordMeta, 28 bytes)
//     u32 value count                          only in a log whose records differ in width
//     per value, as its field is coded:
//       typed:    the payload alone (one type in every record)
//       nullable: u8 0 (NULL, nothing follows) or 1, then the payload (one type, or NULL)
//       tagged:   u8 type tag (sg::Type), then the payload (several types; every value of a
//                 log of varying width)
//     u32 header count, then per header: u32 length + key bytes, u32 length + value bytes
//                                              only in a log that holds headers
//   payloads: Null: nothing; Integer, Timestamp: i64; Float: the double's 8 bytes;
//             Boolean: u8 0 or 1; String: u32 length + that many bytes
// Why a schema: a tag and a bounds check per value cost more than the values' bytes; with every
// field typed and of fixed width, a message is checked once, by its length.
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

struct LogSchema {
  enum class Coding : uint8_t { Typed, Nullable, Tagged };
  struct Field {
    Coding coding = Coding::Tagged;
    Type type = Type::Null;  // the payload's type when typed or nullable
  };
  // The most general schema: a value count and headers in every message, every value tagged.
  static LogSchema general() { return {}; }
  // The narrowest schema that holds every record; general() when their widths differ.
  static LogSchema of(std::span<const RecordPtr> records);

  bool fixed_width = false;   // every record has fields.size() values, and no count is written
  bool headers = true;        // messages carry a header count
  std::vector<Field> fields;  // when fixed_width
  // The body's length when every message has the same (typed fields of fixed-size types, no
  // headers), else 0: such a message is checked once, by its length.
  size_t fixed_body = 0;
};

class RecordLog {
 public:
  RecordLog() = default;
  // A log of raw bytes as they are, read in `schema` (tests make truncated and corrupt logs this
  // way).
  explicit RecordLog(std::vector<uint8_t> bytes, LogSchema schema = LogSchema::general());
  // An empty log whose messages follow `schema`. Both constructors throw std::invalid_argument if
  // the schema's fixed_body is not the one its fields give.
  explicit RecordLog(LogSchema schema);
  // Encodes `records` in order, in the narrowest schema that holds them all.
  static RecordLog encode(std::span<const RecordPtr> records);

  // Appends one message. Throws std::invalid_argument if the record does not fit the schema.
  void append(const Record& record);

  const LogSchema& schema() const { return schema_; }
  std::span<const uint8_t> bytes() const { return bytes_; }
  size_t size() const { return bytes_.size(); }

  // Decodes the message that starts at byte `offset` (< size()) into a fresh record allocated on
  // the calling thread, and returns the offset of the next message. Throws SourceError.
  size_t decode(size_t offset, RecordPtr& out) const;

 private:
  LogSchema schema_ = LogSchema::general();
  std::vector<uint8_t> bytes_;
};

using SharedRecordLog = std::shared_ptr<const RecordLog>;

}  // namespace sg
