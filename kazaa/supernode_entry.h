// One entry of FastTrack's "supernode refresh list": where a supernode listens, how loaded it says it is and
// when it was last heard of. Ordinary nodes ship with a list of these, supernodes hand out fresh ones and
// swap them among themselves (giFT-FastTrack notes; see kazaa/PROTOCOL.md for the bytes).
#pragma once

#include <cstddef>
#include <cstdint>

#include "common/net/endpoint.h"

namespace p2p::kazaa {

// FastTrack lists carry at most 200 entries.
inline constexpr std::size_t kMaxSupernodeEntries = 200;
// The load of a supernode that has all the children it takes.
inline constexpr std::uint8_t kFullLoad = 100;

struct SupernodeEntry {
  Endpoint address;
  std::uint8_t load_percent = 0;  // children / max children, 0..100
  std::uint32_t last_seen_s = 0;  // seconds since the sender last heard from it
  auto operator<=>(const SupernodeEntry&) const = default;
};

}  // namespace p2p::kazaa
