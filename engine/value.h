// A typed SQL value in 16 bytes: a tag and an 8-byte payload.
//
// Strings of up to 14 bytes are held inline; longer ones are immutable and reference counted, so
// copying a Value (a projection passing a string column through, a group key stored in a hash
// table) never copies more than 16 bytes.
#pragma once

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace sg {

enum class Type : uint8_t { Null, Integer, Float, String, Boolean, Timestamp };

const char* type_name(Type t);
// Parses "integer", "int", "bigint", "float", "double", "string", "varchar", "text", "boolean",
// "bool", "timestamp" (any case). Returns false for anything else.
bool parse_type_name(std::string_view name, Type& out);

// An immutable string with an intrusive atomic count, allocated in one block with its characters.
class StringRep {
 public:
  static StringRep* make(std::string_view s);
  void retain() const { refs_.fetch_add(1, std::memory_order_relaxed); }
  void release() const {
    // acq_rel: the last owner must see every write made before the other owners let go.
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) destroy();
  }
  std::string_view view() const { return {data(), size_}; }

 private:
  explicit StringRep(uint32_t size) : refs_(1), size_(size) {}
  const char* data() const { return reinterpret_cast<const char*>(this + 1); }
  void destroy() const;
  mutable std::atomic<uint32_t> refs_;
  uint32_t size_;
};

class Value {
 public:
  // Strings up to this many bytes live inside the Value: building, copying and dropping one
  // costs no allocation and no atomic reference count, and reading it touches no other memory.
  // GROUP BY keys, symbols and categories are nearly always this short.
  static constexpr size_t kInlineChars = 14;

  Value() : type_(Type::Null), str_size_(0) { set_payload<int64_t>(0); }
  static Value null() { return Value(); }
  static Value integer(int64_t v) { return Value(Type::Integer, v); }
  static Value timestamp(int64_t ms) { return Value(Type::Timestamp, ms); }
  static Value boolean(bool v) {
    Value r(Type::Boolean, 0);
    r.set_payload<bool>(v);
    return r;
  }
  static Value floating(double v) {
    Value r(Type::Float, 0);
    r.set_payload<double>(v);
    return r;
  }
  static Value string(std::string_view s) {
    Value r(Type::String, 0);
    if (s.size() <= kInlineChars) {
      r.str_size_ = static_cast<uint8_t>(s.size());
      // Unused bytes are zero, so two inline strings are equal exactly when their 16 bytes are.
      std::memset(r.chars_, 0, kInlineChars);
      if (!s.empty()) std::memcpy(r.chars_, s.data(), s.size());
    } else {
      r.str_size_ = kOnHeap;
      r.set_payload<const StringRep*>(StringRep::make(s));
    }
    return r;
  }

  Value(const Value& o) {
    std::memcpy(static_cast<void*>(this), &o, sizeof(Value));
    if (owns_rep()) rep()->retain();
  }
  Value(Value&& o) noexcept {
    std::memcpy(static_cast<void*>(this), &o, sizeof(Value));
    o.type_ = Type::Null;
  }
  Value& operator=(const Value& o) {
    if (this != &o) {
      if (o.owns_rep()) o.rep()->retain();
      reset();
      std::memcpy(static_cast<void*>(this), &o, sizeof(Value));
    }
    return *this;
  }
  Value& operator=(Value&& o) noexcept {
    if (this != &o) {
      reset();
      std::memcpy(static_cast<void*>(this), &o, sizeof(Value));
      o.type_ = Type::Null;
    }
    return *this;
  }
  ~Value() { reset(); }

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::Null; }
  // Accessors assume the caller checked type(); they are the hot path, so no checks here.
  int64_t as_int() const { return payload<int64_t>(); }  // Integer and Timestamp
  double as_float() const { return payload<double>(); }
  bool as_bool() const { return payload<bool>(); }
  // Valid while this Value (or, for a long string, any copy of it) is alive and unchanged: a
  // short string's characters are inside the Value itself.
  std::string_view as_string() const {
    return owns_rep() ? rep()->view() : std::string_view(chars_, str_size_);
  }
  // True for a string held inline (no allocation behind it).
  bool is_inline_string() const { return type_ == Type::String && str_size_ != kOnHeap; }
  // True when this Value holds a reference to a shared long string (destroying it must let go).
  bool holds_shared_string() const { return owns_rep(); }
  // Hash of an inline string from its Value's two words (type, length, characters, zero
  // padding): a string of the same content is always stored inline, so this is exact. Tables
  // index by the low bits, and a product's low bits see only its inputs' low bits, so the words
  // are combined first and then fully mixed (MurmurHash3's 64-bit finaliser): every character
  // reaches every bit. (A cheaper mix left the low bits to one character and made GROUP BY on
  // 'cat_0000'..'cat_0049' collide: docs/design-notes.md#inline-string-hash.)
  uint64_t inline_string_hash() const {
    uint64_t w[2];
    std::memcpy(w, this, sizeof w);
    uint64_t h = w[0] * 0x9e3779b97f4a7c15ULL + (w[1] ^ (w[1] >> 29));
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 33);
  }
  // Equality of two inline strings in two 8-byte comparisons (their unused bytes are zero).
  bool same_inline_string(const Value& o) const {
    uint64_t a[2], b[2];
    std::memcpy(a, this, sizeof a);
    std::memcpy(b, &o, sizeof b);
    return ((a[0] ^ b[0]) | (a[1] ^ b[1])) == 0;
  }
  bool is_numeric() const {
    return type_ == Type::Integer || type_ == Type::Float || type_ == Type::Timestamp;
  }
  // Integer, Timestamp or Float as a double.
  double to_double() const {
    return type_ == Type::Float ? as_float() : static_cast<double>(as_int());
  }

  // SQL-ish text for messages and CSV output: NULL, 42, 1.5, abc, true.
  std::string to_string() const;

  // Hash that is equal for equal values (an Integer 3 and a Float 3.0 hash alike, since they
  // compare equal), and stable across runs and platforms: digests depend on it.
  uint64_t hash() const;

 private:
  static constexpr uint8_t kOnHeap = 0xff;  // str_size_ of a string held in a StringRep

  Value(Type t, int64_t i) : type_(t), str_size_(0) { set_payload<int64_t>(i); }
  // The 8-byte payload (number, boolean or StringRep pointer) shares bytes 8..15 with the tail
  // of an inline string; memcpy keeps the type punning defined and compiles to one move.
  template <class T>
  T payload() const {
    T v;
    std::memcpy(&v, chars_ + kPayloadAt, sizeof(T));
    return v;
  }
  template <class T>
  void set_payload(T v) {
    std::memcpy(chars_ + kPayloadAt, &v, sizeof(T));
  }
  bool owns_rep() const { return type_ == Type::String && str_size_ == kOnHeap; }
  const StringRep* rep() const { return payload<const StringRep*>(); }
  void reset() {
    if (owns_rep()) rep()->release();
    type_ = Type::Null;
  }

  static constexpr size_t kPayloadAt = 6;  // chars_ starts at byte 2: the payload at byte 8
  Type type_;
  uint8_t str_size_;  // strings: the inline length, or kOnHeap
  char chars_[kInlineChars];
};
static_assert(std::is_trivially_copyable_v<StringRep*>, "the payload is copied with memcpy");
static_assert(sizeof(Value) == 16, "Value must stay two words: records hold arrays of them");
static_assert(alignof(Value) <= 8, "records lay values out after an 8-byte aligned header");

// Three-way comparison of doubles in the one total order of docs/arithmetic.md: -0.0 equals
// 0.0, NaN equals NaN and is greater than every number (as in PostgreSQL and DuckDB).
inline int float_order(double x, double y) {
  if (x < y) return -1;
  if (x > y) return 1;
  if (x == y) return 0;
  return std::isnan(x) ? (std::isnan(y) ? 0 : 1) : -1;  // at least one is NaN
}

// Three-way comparison for ORDER/MIN/MAX and equality for GROUP BY keys. NULLs compare equal to
// each other and below everything else; numbers compare by value across Integer/Float/Timestamp (floats by float_order());
// values of unrelated types order by type tag.
int compare(const Value& a, const Value& b);
inline bool operator==(const Value& a, const Value& b) { return compare(a, b) == 0; }

// Mixes a 64-bit hash into a running one (order-sensitive).
inline uint64_t hash_combine(uint64_t seed, uint64_t h) {
  return seed ^ (h + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
}
uint64_t hash_bytes(const void* data, size_t len, uint64_t seed = 0);

}  // namespace sg
