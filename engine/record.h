// Records: immutable once built, shared between threads by an intrusive reference count.
//
// One allocation holds the header and the values, so building a record costs one malloc and
// handing it to another thread costs one atomic increment; no hand-off ever copies values.
// The one mutation the seeds needed (adding a trace header) copies on write: in place when the
// caller holds the only reference, a new record otherwise.
#pragma once

#include <atomic>
#include <cassert>
#include <cstdint>
#include <memory>
#include <new>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "engine/value.h"

namespace sg {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct RecordMeta {
  int64_t event_time = 0;  // ms since epoch
  int64_t offset = 0;      // position in the source stream
  int32_t partition = 0;   // source partition it was read from
  // Hash of the key an output row belongs to (group key, window partition key), so that sinks
  // can check the order of rows within each key. 0 for rows of stateless queries.
  uint64_t key_hash = 0;
};

class RecordPtr;

class Record {
 public:
  size_t size() const { return size_; }
  const Value& operator[](size_t i) const {
    assert(i < size_ && "field index out of range");
    return values()[i];
  }
  std::span<const Value> values_span() const { return {values(), size_}; }
  const RecordMeta& meta() const { return meta_; }
  int64_t event_time() const { return meta_.event_time; }
  int64_t offset() const { return meta_.offset; }
  int32_t partition() const { return meta_.partition; }
  uint64_t key_hash() const { return meta_.key_hash; }
  // Empty when the record has no headers; headers are shared between copies of a record.
  const Headers& headers() const;
  uint32_t use_count() const { return refs_.load(std::memory_order_relaxed); }

  // Hash of all values in order: equal rows hash equal (used by digest sinks).
  uint64_t row_hash() const;
  // The record whose values start at `values` (values_span().data() of a live record).
  static const Record* holding(const Value* values) {
    return reinterpret_cast<const Record*>(values) - 1;
  }

 private:
  friend class RecordPtr;
  friend class RecordBuilder;
  friend class RecordAppender;
  explicit Record(uint32_t n, const RecordMeta& meta) : refs_(1), size_(n), meta_(meta) {}
  // One block: [Record][Value 0]...[Value n-1], values NULL until set.
  static Record* allocate(size_t n, const RecordMeta& meta);
  // The same block with the values left unconstructed: the caller constructs each one.
  static Record* allocate_unset(size_t n, const RecordMeta& meta);
  Value* values() { return reinterpret_cast<Value*>(this + 1); }
  const Value* values() const { return reinterpret_cast<const Value*>(this + 1); }
  void retain() const { refs_.fetch_add(1, std::memory_order_relaxed); }
  void release() const {
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) destroy();
  }
  void destroy() const;

  mutable std::atomic<uint32_t> refs_;
  uint32_t size_;
  RecordMeta meta_;
  std::shared_ptr<const Headers> headers_;
  // Whether any value holds a shared long string. Most rows hold only numbers and inline
  // strings, whose destruction is a no-op, so destroy() then skips the per-value loop.
  bool shared_strings_ = true;
  void note_shared_strings();  // recomputes shared_strings_ from the values
};
static_assert(alignof(Record) >= alignof(Value), "values are laid out right after the header");
static_assert(sizeof(Record) % alignof(Value) == 0, "values must start aligned");

// An owning, reference-counted pointer to an immutable Record.
class RecordPtr {
 public:
  RecordPtr() = default;
  RecordPtr(const RecordPtr& o) : p_(o.p_) {
    if (p_) p_->retain();
  }
  RecordPtr(RecordPtr&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  RecordPtr& operator=(const RecordPtr& o) {
    if (o.p_) o.p_->retain();
    if (p_) p_->release();
    p_ = o.p_;
    return *this;
  }
  RecordPtr& operator=(RecordPtr&& o) noexcept {
    if (this != &o) {
      if (p_) p_->release();
      p_ = std::exchange(o.p_, nullptr);
    }
    return *this;
  }
  ~RecordPtr() {
    if (p_) p_->release();
  }

  const Record& operator*() const { return *p_; }
  const Record* operator->() const { return p_; }
  const Record* get() const { return p_; }
  explicit operator bool() const { return p_ != nullptr; }

  // Builds a record from values in one allocation.
  static RecordPtr make(std::span<const Value> values, const RecordMeta& meta = {});
  static RecordPtr make(std::initializer_list<Value> values, const RecordMeta& meta = {}) {
    return make(std::span<const Value>(values.begin(), values.size()), meta);
  }

  // Copy-on-write: returns a record equal to this one plus the header. Mutates in place when this
  // pointer holds the only reference, copies the record otherwise. `copied` (if given) tells which.
  RecordPtr with_header(std::string key, std::string value, bool* copied = nullptr) &&;

  // A deep copy (new allocation, values copied). The seeds' engine did this on every hand-off;
  // we keep it only for the microbenches and the clone-vs-share comparison.
  RecordPtr deep_copy() const;

  // Ownership through a raw pointer, for lock-free queues that only hold trivially copyable
  // elements (boost::lockfree). release() gives up this pointer's reference without touching the
  // count; adopt() takes such a reference back, also without touching it. Every released pointer
  // must be adopted exactly once, or the record leaks (or is freed twice).
  const Record* release() noexcept { return std::exchange(p_, nullptr); }
  static RecordPtr adopt(const Record* p) noexcept { return RecordPtr(const_cast<Record*>(p)); }

 private:
  friend class RecordBuilder;
  friend class RecordAppender;
  explicit RecordPtr(Record* p) : p_(p) {}
  Record* p_ = nullptr;
};

// Builds a record of a known width in place, without a temporary vector of values.
class RecordBuilder {
 public:
  explicit RecordBuilder(size_t width, const RecordMeta& meta = {});
  RecordBuilder(const RecordBuilder&) = delete;
  RecordBuilder& operator=(const RecordBuilder&) = delete;
  ~RecordBuilder();
  Value& operator[](size_t i) {
    assert(rec_ && i < rec_->size_ && "builder index out of range or already built");
    return rec_->values()[i];
  }
  RecordMeta& meta() { return rec_->meta_; }
  RecordPtr build() {
    rec_->note_shared_strings();
    return RecordPtr(std::exchange(rec_, nullptr));
  }

 private:
  Record* rec_;
};

// Builds a record of a known width by appending its values in order, each constructed in place
// once (no NULL written first and then overwritten): the output path of every operator, where
// this is per-row work.
class RecordAppender {
 public:
  explicit RecordAppender(size_t width, const RecordMeta& meta = {})
      : rec_(Record::allocate_unset(width, meta)), next_(rec_->values()) {}
  RecordAppender(const RecordAppender&) = delete;
  RecordAppender& operator=(const RecordAppender&) = delete;
  ~RecordAppender() {
    if (!rec_) return;
    // Abandoned part-way (an exception): only the appended values exist to be destroyed.
    rec_->size_ = static_cast<uint32_t>(next_ - rec_->values());
    rec_->release();
  }
  void append(const Value& v) {
    assert(next_ < rec_->values() + rec_->size_ && "more values appended than the width");
    rec_->shared_strings_ |= v.holds_shared_string();
    new (next_++) Value(v);
  }
  void append(Value&& v) {
    assert(next_ < rec_->values() + rec_->size_ && "more values appended than the width");
    rec_->shared_strings_ |= v.holds_shared_string();
    new (next_++) Value(std::move(v));
  }
  // Constructs the next value in place from make()'s result (a Value returned by value): no
  // temporary to copy, whose 16 bytes, written in parts and read whole, would stall the store
  // buffer on every field. For decoders, which build every field of every record.
  template <class Make>
  void emplace(Make&& make) {
    assert(next_ < rec_->values() + rec_->size_ && "more values appended than the width");
    const Value* v = new (next_++) Value(make());
    rec_->shared_strings_ |= v->holds_shared_string();
  }
  // Written field by field where it lives: a decoder that filled a RecordMeta on its stack and
  // passed it in had it read back whole, a failed store-to-load forward per record.
  RecordMeta& meta() { return rec_->meta_; }
  RecordPtr build() {
    assert(next_ == rec_->values() + rec_->size_ && "build() before every value was appended");
    return RecordPtr(std::exchange(rec_, nullptr));
  }

 private:
  Record* rec_;
  Value* next_;
};

using Batch = std::vector<RecordPtr>;

}  // namespace sg
