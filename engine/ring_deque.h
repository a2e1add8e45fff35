// A double-ended queue in one growable ring buffer: the monotonic deques of ROWS-window MIN/MAX.
// std::deque allocates a 512-byte block per instance even for one element, which adds up over
// 100,000 partitions; this one starts empty and doubles as needed.
#pragma once

#include <cassert>
#include <cstddef>
#include <utility>
#include <vector>

namespace sg {

template <class T>
class RingDeque {
 public:
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  T& front() {
    assert(size_ > 0 && "front() of an empty RingDeque");
    return buf_[head_];
  }
  T& back() {
    assert(size_ > 0 && "back() of an empty RingDeque");
    return buf_[(head_ + size_ - 1) & (buf_.size() - 1)];
  }
  void push_back(T v) {
    if (size_ == buf_.size()) grow();
    buf_[(head_ + size_) & (buf_.size() - 1)] = std::move(v);
    ++size_;
  }
  void pop_front() {
    assert(size_ > 0 && "pop_front() of an empty RingDeque");
    buf_[head_] = T();  // drop what it holds (a string's reference) now, not when overwritten
    head_ = (head_ + 1) & (buf_.size() - 1);
    --size_;
  }
  void pop_back() {
    assert(size_ > 0 && "pop_back() of an empty RingDeque");
    back() = T();
    --size_;
  }

 private:
  void grow() {
    std::vector<T> bigger(buf_.empty() ? 4 : buf_.size() * 2);
    for (size_t i = 0; i < size_; ++i) bigger[i] = std::move(buf_[(head_ + i) & (buf_.size() - 1)]);
    buf_.swap(bigger);
    head_ = 0;
  }

  std::vector<T> buf_;  // a power of two (or empty)
  size_t head_ = 0;
  size_t size_ = 0;
};

}  // namespace sg
