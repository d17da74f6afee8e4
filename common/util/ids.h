// Strong id types, so a connection id is never passed where a timer id or a piece index is expected.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <ostream>

namespace p2p {

// A number with a tag type: StrongId<struct ConnTag> and StrongId<struct TimerTag> do not mix.
template <typename Tag, typename T = std::uint64_t>
struct StrongId {
  T value{};

  constexpr StrongId() = default;
  constexpr explicit StrongId(T v) : value(v) {}
  constexpr auto operator<=>(const StrongId&) const = default;
  friend std::ostream& operator<<(std::ostream& os, StrongId id) { return os << id.value; }
};

using ConnId = StrongId<struct ConnTag>;
using TimerId = StrongId<struct TimerTag>;

// Hands out ids 1, 2, 3...; 0 is never used, so a default-constructed id means "none".
template <typename Id>
class IdAllocator {
 public:
  Id next() { return Id(++last_); }

 private:
  decltype(Id{}.value) last_ = 0;
};

}  // namespace p2p

template <typename Tag, typename T>
struct std::hash<p2p::StrongId<Tag, T>> {
  std::size_t operator()(p2p::StrongId<Tag, T> id) const noexcept { return std::hash<T>{}(id.value); }
};
