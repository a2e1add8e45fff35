#include "engine/record.h"

#include <new>

namespace sg {

Record* Record::allocate_unset(size_t n, const RecordMeta& meta) {
  void* mem = ::operator new(sizeof(Record) + n * sizeof(Value));
  Record* rec = new (mem) Record(static_cast<uint32_t>(n), meta);
  rec->shared_strings_ = false;  // RecordAppender sets it as values arrive
  return rec;
}

void Record::note_shared_strings() {
  shared_strings_ = false;
  for (size_t i = 0; i < size_; ++i) shared_strings_ |= values()[i].holds_shared_string();
}

Record* Record::allocate(size_t n, const RecordMeta& meta) {
  Record* rec = allocate_unset(n, meta);
  for (size_t i = 0; i < n; ++i) new (rec->values() + i) Value();
  rec->shared_strings_ = true;  // the caller may assign anything; build() or make() settles it
  return rec;
}

void Record::destroy() const {
  auto* self = const_cast<Record*>(this);
  if (shared_strings_) {
    for (size_t i = 0; i < size_; ++i) self->values()[i].~Value();
  }
  self->~Record();
  ::operator delete(self);
}

const Headers& Record::headers() const {
  static const Headers empty;
  return headers_ ? *headers_ : empty;
}

uint64_t Record::row_hash() const {
  uint64_t h = 0x726f77;  // "row"
  for (size_t i = 0; i < size_; ++i) h = hash_combine(h, values()[i].hash());
  return h;
}

RecordPtr RecordPtr::make(std::span<const Value> values, const RecordMeta& meta) {
  Record* rec = Record::allocate(values.size(), meta);
  for (size_t i = 0; i < values.size(); ++i) rec->values()[i] = values[i];
  rec->note_shared_strings();
  return RecordPtr(rec);
}

RecordPtr RecordPtr::deep_copy() const {
  assert(p_ && "deep_copy of a null record");
  Record* rec = Record::allocate(p_->size_, p_->meta_);
  for (size_t i = 0; i < p_->size_; ++i) rec->values()[i] = p_->values()[i];
  rec->shared_strings_ = p_->shared_strings_;
  rec->headers_ = p_->headers_;
  return RecordPtr(rec);
}

RecordPtr RecordPtr::with_header(std::string key, std::string value, bool* copied) && {
  assert(p_ && "with_header on a null record");
  // Only the sole owner may write: another thread could be reading the record right now.
  const bool shared = p_->use_count() != 1;
  RecordPtr out = shared ? deep_copy() : std::move(*this);
  auto headers = std::make_shared<Headers>(out->headers());
  headers->emplace_back(std::move(key), std::move(value));
  out.p_->headers_ = std::move(headers);
  if (copied) *copied = shared;
  return out;
}

RecordBuilder::RecordBuilder(size_t width, const RecordMeta& meta)
    : rec_(Record::allocate(width, meta)) {}

RecordBuilder::~RecordBuilder() {
  if (rec_) rec_->release();
}

}  // namespace sg
