// A typed SQL value in 16 bytes: a tag and an 8-byte payload.
//
// Strings are immutable and reference counted, so copying a Value (a projection passing a string
// column through, a group key stored in a hash table) never copies characters.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

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
  Value() : type_(Type::Null) { u_.i = 0; }
  static Value null() { return Value(); }
  static Value integer(int64_t v) { return Value(Type::Integer, v); }
  static Value timestamp(int64_t ms) { return Value(Type::Timestamp, ms); }
  static Value boolean(bool v) {
    Value r(Type::Boolean, 0);
    r.u_.b = v;
    return r;
  }
  static Value floating(double v) {
    Value r(Type::Float, 0);
    r.u_.f = v;
    return r;
  }
  static Value string(std::string_view s) {
    Value r(Type::String, 0);
    r.u_.s = StringRep::make(s);
    return r;
  }

  Value(const Value& o) : type_(o.type_), u_(o.u_) {
    if (type_ == Type::String) u_.s->retain();
  }
  Value(Value&& o) noexcept : type_(o.type_), u_(o.u_) { o.type_ = Type::Null; }
  Value& operator=(const Value& o) {
    if (this != &o) {
      if (o.type_ == Type::String) o.u_.s->retain();
      reset();
      type_ = o.type_;
      u_ = o.u_;
    }
    return *this;
  }
  Value& operator=(Value&& o) noexcept {
    if (this != &o) {
      reset();
      type_ = o.type_;
      u_ = o.u_;
      o.type_ = Type::Null;
    }
    return *this;
  }
  ~Value() { reset(); }

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::Null; }
  // Accessors assume the caller checked type(); they are the hot path, so no checks here.
  int64_t as_int() const { return u_.i; }  // Integer and Timestamp
  double as_float() const { return u_.f; }
  bool as_bool() const { return u_.b; }
  std::string_view as_string() const { return u_.s->view(); }
  bool is_numeric() const {
    return type_ == Type::Integer || type_ == Type::Float || type_ == Type::Timestamp;
  }
  // Integer, Timestamp or Float as a double.
  double to_double() const { return type_ == Type::Float ? u_.f : static_cast<double>(u_.i); }

  // SQL-ish text for messages and CSV output: NULL, 42, 1.5, abc, true.
  std::string to_string() const;

  // Hash that is equal for equal values (an Integer 3 and a Float 3.0 hash alike, since they
  // compare equal), and stable across runs and platforms: digests depend on it.
  uint64_t hash() const;

 private:
  Value(Type t, int64_t i) : type_(t) { u_.i = i; }
  void reset() {
    if (type_ == Type::String) u_.s->release();
    type_ = Type::Null;
  }

  Type type_;
  union {
    int64_t i;
    double f;
    bool b;
    const StringRep* s;
  } u_;
};
static_assert(sizeof(Value) == 16, "Value must stay two words: records hold arrays of them");

// Three-way comparison for ORDER/MIN/MAX and equality for GROUP BY keys. NULLs compare equal to
// each other and below everything else; numbers compare by value across Integer/Float/Timestamp;
// values of unrelated types order by type tag.
int compare(const Value& a, const Value& b);
inline bool operator==(const Value& a, const Value& b) { return compare(a, b) == 0; }

// Mixes a 64-bit hash into a running one (order-sensitive).
inline uint64_t hash_combine(uint64_t seed, uint64_t h) {
  return seed ^ (h + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
}
uint64_t hash_bytes(const void* data, size_t len, uint64_t seed = 0);

}  // namespace sg
