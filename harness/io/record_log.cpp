#include "harness/io/record_log.h"

#include <cstring>
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

// Reads one message's body, checking every field against the body's end. Errors name the
// message's offset in the log and the byte where the problem is.
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
  void need(size_t n, const char* what) {
    if (static_cast<size_t>(end_ - p_) < n) [[unlikely]]
      fail("{} needs {} bytes, the message has {} left", what, n, end_ - p_);
  }
  template <class T>
  T read() {
    return get<T>(p_);
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

}  // namespace

RecordLog RecordLog::encode(std::span<const RecordPtr> records) {
  RecordLog log;
  if (!records.empty()) {  // sized from the first message, so that appending rarely reallocates
    log.append(*records.front());
    log.bytes_.reserve(log.bytes_.size() * records.size() * 9 / 8);
    for (const RecordPtr& r : records.subspan(1)) log.append(*r);
  }
  return log;
}

void RecordLog::append(const Record& record) {
  const size_t start = bytes_.size();
  put<uint32_t>(bytes_, 0);  // the body's length, filled in below
  const RecordMeta& m = record.meta();
  put<int64_t>(bytes_, m.event_time);
  put<int64_t>(bytes_, m.offset);
  put<int32_t>(bytes_, m.partition);
  put<uint64_t>(bytes_, m.key_hash);
  put<uint32_t>(bytes_, static_cast<uint32_t>(record.size()));
  for (const Value& v : record.values_span()) {
    bytes_.push_back(static_cast<uint8_t>(v.type()));
    switch (v.type()) {
      case Type::Null:
        break;
      case Type::Integer:
      case Type::Timestamp:
        put<int64_t>(bytes_, v.as_int());
        break;
      case Type::Float:
        put<double>(bytes_, v.as_float());
        break;
      case Type::Boolean:
        bytes_.push_back(v.as_bool() ? 1 : 0);
        break;
      case Type::String:
        put_bytes(bytes_, v.as_string());
        break;
    }
  }
  put<uint32_t>(bytes_, static_cast<uint32_t>(record.headers().size()));
  for (const auto& [key, value] : record.headers()) {
    put_bytes(bytes_, key);
    put_bytes(bytes_, value);
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
  in.need(kMetaBytes + 4, "the record's metadata and value count");
  RecordMeta meta;
  meta.event_time = in.read<int64_t>();
  meta.offset = in.read<int64_t>();
  meta.partition = in.read<int32_t>();
  meta.key_hash = in.read<uint64_t>();
  const uint32_t n = in.read<uint32_t>();
  // Every value takes at least its tag's byte.
  if (n > in.left()) in.fail("{} values cannot fit in {} bytes", n, in.left());
  RecordAppender values(n, meta);
  for (uint32_t i = 0; i < n; ++i) {
    in.need(1, "a value's type tag");
    const uint8_t tag = in.read<uint8_t>();
    // emplace: each value is built where it lives (engine/record.h says why).
    switch (static_cast<Type>(tag)) {
      case Type::Null:
        values.emplace([] { return Value(); });
        break;
      case Type::Integer:
        in.need(8, "an integer");
        values.emplace([&] { return Value::integer(in.read<int64_t>()); });
        break;
      case Type::Timestamp:
        in.need(8, "a timestamp");
        values.emplace([&] { return Value::timestamp(in.read<int64_t>()); });
        break;
      case Type::Float:
        in.need(8, "a float");
        values.emplace([&] { return Value::floating(in.read<double>()); });
        break;
      case Type::Boolean: {
        in.need(1, "a boolean");
        const uint8_t b = in.read<uint8_t>();
        if (b > 1) in.fail("value {}: boolean byte {} is neither 0 nor 1", i, b);
        values.emplace([b] { return Value::boolean(b == 1); });
        break;
      }
      case Type::String: {
        const std::string_view chars = in.read_string("a string");
        values.emplace([chars] { return Value::string(chars); });
        break;
      }
      default:
        in.fail("value {}: unknown type tag {}", i, tag);
    }
  }
  RecordPtr record = values.build();
  in.need(4, "the header count");
  const uint32_t headers = in.read<uint32_t>();
  for (uint32_t h = 0; h < headers; ++h) {
    const std::string_view key = in.read_string("a header key");
    const std::string_view value = in.read_string("a header value");
    record = std::move(record).with_header(std::string(key), std::string(value));
  }
  if (in.left() != 0) in.fail("{} bytes of the message left unread", in.left());
  out = std::move(record);
  return offset + 4 + body;
}

}  // namespace sg
