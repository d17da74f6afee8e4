// IdMap: values by id in id order, for ids handed out in ascending order, found without walking a tree.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <iterator>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace p2p {

// What std::map<Id, T> gives, for the part of its interface the cores use: the same order (ascending ids,
// which a core may walk to decide, so a run replays the same), references that stay valid while other
// entries come and go, and an iterator whose element is a pair [id, value]. The ids sit in one sorted array,
// searched without the cache misses of a tree's or a hash table's nodes (a BitTorrent peer looks one up on
// every frame it receives); each value is held by pointer, so the array stays small and a reference
// outlives inserts. Unlike the map, adding or removing an entry invalidates iterators: a loop over the
// entries must not do either (a caller that may walks a copy of the ids). Ids from an IdAllocator come in
// ascending order, so an insert appends.
template <typename Id, typename T>
class IdMap {
  using Entry = std::pair<const Id, T>;
  using Slots = std::vector<std::unique_ptr<Entry>>;

  template <bool kConst>
  class Iter {
    using Base = std::conditional_t<kConst, typename Slots::const_iterator, typename Slots::iterator>;

   public:
    using iterator_concept = std::forward_iterator_tag;
    using iterator_category = std::forward_iterator_tag;
    using value_type = Entry;
    using difference_type = std::ptrdiff_t;
    using reference = std::conditional_t<kConst, const Entry&, Entry&>;
    using pointer = std::conditional_t<kConst, const Entry*, Entry*>;

    Iter() = default;
    explicit Iter(Base at) : at_(at) {}
    operator Iter<true>() const requires(!kConst) { return Iter<true>(at_); }

    reference operator*() const { return **at_; }
    pointer operator->() const { return at_->get(); }
    Iter& operator++() {
      ++at_;
      return *this;
    }
    Iter operator++(int) { return Iter(at_++); }
    bool operator==(const Iter& other) const { return at_ == other.at_; }

   private:
    Base at_{};
  };

 public:
  using iterator = Iter<false>;
  using const_iterator = Iter<true>;

  iterator begin() { return iterator(slots_.begin()); }
  iterator end() { return iterator(slots_.end()); }
  const_iterator begin() const { return const_iterator(slots_.begin()); }
  const_iterator end() const { return const_iterator(slots_.end()); }
  std::size_t size() const { return ids_.size(); }
  bool empty() const { return ids_.empty(); }

  iterator find(Id id) { return iterator(slots_.begin() + static_cast<std::ptrdiff_t>(index_of(id))); }
  const_iterator find(Id id) const {
    return const_iterator(slots_.begin() + static_cast<std::ptrdiff_t>(index_of(id)));
  }
  bool contains(Id id) const { return index_of(id) < ids_.size(); }
  T& at(Id id) {
    auto it = find(id);
    assert(it != end());
    return it->second;
  }
  const T& at(Id id) const {
    auto it = find(id);
    assert(it != end());
    return it->second;
  }

  // Builds the value from `args` unless `id` is present.
  template <typename... Args>
  std::pair<iterator, bool> try_emplace(Id id, Args&&... args) {
    std::size_t at = position(id);
    if (at < ids_.size() && ids_[at] == id) return {begin_plus(at), false};
    auto offset = static_cast<std::ptrdiff_t>(at);
    ids_.insert(ids_.begin() + offset, id);
    slots_.insert(slots_.begin() + offset,
                  std::make_unique<Entry>(std::piecewise_construct, std::forward_as_tuple(id),
                                          std::forward_as_tuple(std::forward<Args>(args)...)));
    return {begin_plus(at), true};
  }
  iterator erase(iterator it) { return erase_at(static_cast<std::size_t>(std::distance(begin(), it))); }
  std::size_t erase(Id id) {
    std::size_t at = index_of(id);
    if (at == ids_.size()) return 0;
    erase_at(at);
    return 1;
  }
  void clear() {
    ids_.clear();
    slots_.clear();
  }

 private:
  std::size_t position(Id id) const {
    return static_cast<std::size_t>(std::ranges::lower_bound(ids_, id) - ids_.begin());
  }
  // Where `id` is, or size() when absent.
  std::size_t index_of(Id id) const {
    std::size_t at = position(id);
    return at < ids_.size() && ids_[at] == id ? at : ids_.size();
  }
  iterator begin_plus(std::size_t at) { return iterator(slots_.begin() + static_cast<std::ptrdiff_t>(at)); }
  iterator erase_at(std::size_t at) {
    auto offset = static_cast<std::ptrdiff_t>(at);
    ids_.erase(ids_.begin() + offset);
    return iterator(slots_.erase(slots_.begin() + offset));
  }

  std::vector<Id> ids_;  // ascending, beside slots_
  Slots slots_;
};

}  // namespace p2p
