#include "harness/io/record_log.h"

#include <bit>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace sg {
namespace {

constexpr size_t kMetaBytes = 8 + 8 + 4 + 8;

template <class T>
void put(std::vector<uint8_t>& out, T v) {
  const size_t at = out.size();
  out.resize(at + sizeof(T));
  std::memcpy(out.data() + at, &v, sizeof(T));
}

void put_bytes(std::vector<uint8_t>& out, std::string_view s) {
  put<uint32_t>(out, static_cast<uint32_t>(s.size()));
  out.insert(out.end(), s.begin(), s.end());
}

template <class T>
T get(const uint8_t*& p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  p += sizeof(T);
  return v;
}

// Reads one message's body. Errors name the message's offset in the log and the byte where the
// problem is. need<false>() checks nothing: for bodies whose length was checked as a whole.
class BodyReader {
 public:
  BodyReader(const uint8_t* log, size_t message, const uint8_t* body, const uint8_t* end)
      : log_(log), message_(message), p_(body), end_(end) {}

  // Out of line and cold, so that decode()'s loop carries no formatting code.
  template <class... Args>
  [[noreturn, gnu::cold, gnu::noinline]] void fail(fmt::format_string<Args...> what,
                                                   Args&&... args) const {
    throw SourceError(fmt::format("record log: message at byte {}: {} (at byte {})", message_,
                                  fmt::format(what, std::forward<Args>(args)...),
                                  static_cast<size_t>(p_ - log_)));
  }
  template <bool kChecked = true>
  void need(size_t n, const char* what) {
    if constexpr (kChecked) {
      if (static_cast<size_t>(end_ - p_) < n) [[unlikely]]
        fail("{} needs {} bytes, the message has {} left", what, n, end_ - p_);
    }
  }
  template <class T>
  T read() {
    return get<T>(p_);
  }
  template <class T>
  T peek(size_t at) const {
    const uint8_t* p = p_ + at;
    return get<T>(p);
  }
  std::string_view read_string(const char* what) {
    need(4, what);
    const uint32_t n = read<uint32_t>();
    need(n, what);
    std::string_view s(reinterpret_cast<const char*>(p_), n);
    p_ += n;
    return s;
  }
  size_t left() const { return static_cast<size_t>(end_ - p_); }

 private:
  const uint8_t* log_;
  size_t message_;
  const uint8_t* p_;
  const uint8_t* end_;
};

// Bytes of a payload of `type`, 0 for a string's (not fixed).
size_t payload_bytes(Type type) {
  switch (type) {
    case Type::Null:
      return 0;
    case Type::Integer:
    case Type::Timestamp:
    case Type::Float:
      return 8;
    case Type::Boolean:
      return 1;
    case Type::String:
      return 0;
  }
  return 0;
}

void put_payload(std::vector<uint8_t>& out, const Value& v) {
  switch (v.type()) {
    case Type::Null:
      break;
    case Type::Integer:
    case Type::Timestamp:
      put<int64_t>(out, v.as_int());
      break;
    case Type::Float:
      put<double>(out, v.as_float());
      break;
    case Type::Boolean:
      out.push_back(v.as_bool() ? 1 : 0);
      break;
    case Type::String:
      put_bytes(out, v.as_string());
      break;
  }
}

// Builds value `i` of `type` from its payload, in place (emplace: engine/record.h says why).
template <bool kChecked>
void read_payload(BodyReader& in, RecordAppender& values, Type type, uint32_t i) {
  switch (type) {
    case Type::Null:
      values.emplace([] { return Value(); });
      break;
    case Type::Integer:
      in.need<kChecked>(8, "an integer");
      values.emplace([&] { return Value::integer(in.read<int64_t>()); });
      break;
    case Type::Timestamp:
      in.need<kChecked>(8, "a timestamp");
      values.emplace([&] { return Value::timestamp(in.read<int64_t>()); });
      break;
    case Type::Float:
      in.need<kChecked>(8, "a float");
      values.emplace([&] { return Value::floating(in.read<double>()); });
      break;
    case Type::Boolean: {
      in.need<kChecked>(1, "a boolean");
      const uint8_t b = in.read<uint8_t>();
      if (b > 1) in.fail("value {}: boolean byte {} is neither 0 nor 1", i, b);
      values.emplace([b] { return Value::boolean(b == 1); });
      break;
    }
    case Type::String: {
      const std::string_view chars = in.read_string("a string");  // never in a fixed body
      values.emplace([chars] { return Value::string(chars); });
      break;
    }
  }
}

// Decodes one body after the length: kChecked false only for a fixed body whose length matched.
template <bool kChecked>
RecordPtr decode_body(BodyReader& in, const LogSchema& schema) {
  uint32_t n = static_cast<uint32_t>(schema.fields.size());
  if (schema.fixed_width) {
    in.need<kChecked>(kMetaBytes, "the record's metadata");
  } else {
    in.need(kMetaBytes + 4, "the record's metadata and value count");
    n = in.peek<uint32_t>(kMetaBytes);
    // Every value takes at least its tag's byte.
    if (n > in.left() - kMetaBytes - 4) {
      in.fail("{} values cannot fit in {} bytes", n, in.left() - kMetaBytes - 4);
    }
  }
  RecordAppender values(n);
  RecordMeta& meta = values.meta();
  meta.event_time = in.read<int64_t>();
  meta.offset = in.read<int64_t>();
  meta.partition = in.read<int32_t>();
  meta.key_hash = in.read<uint64_t>();
  if (!schema.fixed_width) in.read<uint32_t>();  // the count, peeked above
  for (uint32_t i = 0; i < n; ++i) {
    const LogSchema::Field field =
        schema.fixed_width ? schema.fields[i] : LogSchema::Field{};  // general: tagged
    Type type = field.type;
    if (field.coding == LogSchema::Coding::Nullable) {
      in.need(1, "a NULL flag");
      const uint8_t present = in.read<uint8_t>();
      if (present > 1) in.fail("value {}: NULL flag {} is neither 0 nor 1", i, present);
      if (present == 0) type = Type::Null;
    } else if (field.coding == LogSchema::Coding::Tagged) {
      in.need(1, "a value's type tag");
      const uint8_t tag = in.read<uint8_t>();
      if (tag > static_cast<uint8_t>(Type::Timestamp))
        in.fail("value {}: unknown type tag {}", i, tag);
      type = static_cast<Type>(tag);
    }
    read_payload<kChecked>(in, values, type, i);
  }
  RecordPtr record = values.build();
  if (schema.headers) {
    in.need(4, "the header count");
    const uint32_t headers = in.read<uint32_t>();
    for (uint32_t h = 0; h < headers; ++h) {
      const std::string_view key = in.read_string("a header key");
      const std::string_view value = in.read_string("a header value");
      record = std::move(record).with_header(std::string(key), std::string(value));
    }
  }
  return record;
}

// The body's length when every message of `schema` has the same, else 0.
size_t fixed_body_of(const LogSchema& schema) {
  if (!schema.fixed_width || schema.headers) return 0;
  size_t body = kMetaBytes;
  for (const LogSchema::Field& f : schema.fields) {
    if (f.coding != LogSchema::Coding::Typed || f.type == Type::String) return 0;
    body += payload_bytes(f.type);
  }
  return body;
}

// The decoder reads a fixed body without a check per value: a schema whose fixed_body is not its
// fields' would read past a message.
const LogSchema& checked(const LogSchema& schema) {
  if (schema.fixed_body != fixed_body_of(schema)) {
    throw std::invalid_argument(
        fmt::format("record log: the schema's fixed body of {} bytes is not its fields' {}",
                    schema.fixed_body, fixed_body_of(schema)));
  }
  return schema;
}

}  // namespace

LogSchema LogSchema::of(std::span<const RecordPtr> records) {
  LogSchema schema;
  if (records.empty()) return schema;
  const size_t width = records.front()->size();
  std::vector<unsigned> types(width, 0);  // bit t: a value of Type t was seen in the field
  bool headers = false;
  for (const RecordPtr& r : records) {
    if (r->size() != width) return general();
    headers |= !r->headers().empty();
    for (size_t i = 0; i < width; ++i) types[i] |= 1u << static_cast<unsigned>((*r)[i].type());
  }
  schema.fixed_width = true;
  schema.headers = headers;
  constexpr unsigned kNull = 1u << static_cast<unsigned>(Type::Null);
  for (const unsigned seen : types) {
    const unsigned kinds = seen & ~kNull;
    Field f;
    if (kinds == 0) {
      f = {Coding::Typed, Type::Null};  // always NULL: nothing written
    } else if (std::has_single_bit(kinds)) {
      f.type = static_cast<Type>(std::countr_zero(kinds));
      f.coding = (seen & kNull) ? Coding::Nullable : Coding::Typed;
    }  // else tagged
    schema.fields.push_back(f);
  }
  schema.fixed_body = fixed_body_of(schema);
  return schema;
}

RecordLog::RecordLog(LogSchema schema) : schema_(checked(schema)) {}

RecordLog::RecordLog(std::vector<uint8_t> bytes, LogSchema schema)
    : schema_(checked(schema)), bytes_(std::move(bytes)) {}

RecordLog RecordLog::encode(std::span<const RecordPtr> records) {
  RecordLog log(LogSchema::of(records));
  if (!records.empty()) {  // sized from the first message, so that appending rarely reallocates
    log.append(*records.front());
    log.bytes_.reserve(log.bytes_.size() * records.size() * 9 / 8);
    for (const RecordPtr& r : records.subspan(1)) log.append(*r);
  }
  return log;
}

void RecordLog::append(const Record& record) {
  if (schema_.fixed_width && record.size() != schema_.fields.size())
    throw std::invalid_argument(
        fmt::format("record log: a record of {} values does not fit the log's schema of {} fields",
                    record.size(), schema_.fields.size()));
  if (!schema_.headers && !record.headers().empty())
    throw std::invalid_argument(
        fmt::format("record log: a record with {} header(s) does not fit the log's schema, "
                    "whose records have none",
                    record.headers().size()));
  const size_t start = bytes_.size();
  put<uint32_t>(bytes_, 0);  // the body's length, filled in below
  const RecordMeta& m = record.meta();
  put<int64_t>(bytes_, m.event_time);
  put<int64_t>(bytes_, m.offset);
  put<int32_t>(bytes_, m.partition);
  put<uint64_t>(bytes_, m.key_hash);
  if (!schema_.fixed_width) put<uint32_t>(bytes_, static_cast<uint32_t>(record.size()));
  for (size_t i = 0; i < record.size(); ++i) {
    const Value& v = record[i];
    const LogSchema::Field f = schema_.fixed_width ? schema_.fields[i] : LogSchema::Field{};
    switch (f.coding) {
      case LogSchema::Coding::Typed:
        if (v.type() != f.type) {
          bytes_.resize(start);
          throw std::invalid_argument(
              fmt::format("record log: value {} is {}, the log's schema says {}", i,
                          type_name(v.type()), type_name(f.type)));
        }
        break;
      case LogSchema::Coding::Nullable:
        if (!v.is_null() && v.type() != f.type) {
          bytes_.resize(start);
          throw std::invalid_argument(
              fmt::format("record log: value {} is {}, the log's schema says {} or NULL", i,
                          type_name(v.type()), type_name(f.type)));
        }
        bytes_.push_back(v.is_null() ? 0 : 1);
        break;
      case LogSchema::Coding::Tagged:
        bytes_.push_back(static_cast<uint8_t>(v.type()));
        break;
    }
    put_payload(bytes_, v);
  }
  if (schema_.headers) {
    put<uint32_t>(bytes_, static_cast<uint32_t>(record.headers().size()));
    for (const auto& [key, value] : record.headers()) {
      put_bytes(bytes_, key);
      put_bytes(bytes_, value);
    }
  }
  const uint32_t body = static_cast<uint32_t>(bytes_.size() - start - 4);
  std::memcpy(bytes_.data() + start, &body, sizeof body);
}

size_t RecordLog::decode(size_t offset, RecordPtr& out) const {
  const uint8_t* const log = bytes_.data();
  const size_t left = bytes_.size() - offset;
  if (left < 4) {
    BodyReader(log, offset, log + offset, log + offset)
        .fail("cut off: a message length needs 4 bytes, the log has {} left", left);
  }
  const uint8_t* p = log + offset;
  const uint32_t body = get<uint32_t>(p);
  if (body > left - 4) {
    BodyReader(log, offset, p, p)
        .fail("cut off: it declares {} bytes, the log has {} left", body, left - 4);
  }
  BodyReader in(log, offset, p, p + body);
  RecordPtr record;
  if (schema_.fixed_body != 0) {
    if (body != schema_.fixed_body)
      in.fail("it declares {} bytes, every message of this log has {}", body, schema_.fixed_body);
    record = decode_body<false>(in, schema_);
  } else {
    record = decode_body<true>(in, schema_);
  }
  if (in.left() != 0) in.fail("{} bytes of the message left unread", in.left());
  out = std::move(record);
  return offset + 4 + body;
}

}  // namespace sg
