// Ring: a fixed-capacity buffer that keeps the newest items, for the event log and the rate history.
#pragma once

#include <cassert>
#include <cstddef>
#include <utility>
#include <vector>

namespace p2p::dashboard {

// Keeps the last `capacity` items pushed, so a lab that runs for hours holds a bounded log in memory.
// Index 0 is the oldest item kept, size() - 1 the newest.
template <typename T>
class Ring {
 public:
  explicit Ring(std::size_t capacity) : capacity_(capacity) { assert(capacity > 0); }

  void push(T item) {
    if (items_.size() < capacity_) {
      items_.push_back(std::move(item));
      return;
    }
    items_[head_] = std::move(item);
    head_ = (head_ + 1) % capacity_;
  }

  std::size_t size() const { return items_.size(); }
  std::size_t capacity() const { return capacity_; }
  bool empty() const { return items_.empty(); }

  const T& operator[](std::size_t i) const {
    assert(i < items_.size());
    return items_[(head_ + i) % items_.size()];
  }
  const T& newest() const { return (*this)[size() - 1]; }

 private:
  std::size_t capacity_;
  std::size_t head_ = 0;  // where the oldest item sits once the buffer is full
  std::vector<T> items_;
};

}  // namespace p2p::dashboard
