// The 16-byte GUID that names every Gnutella descriptor, and how a servent makes a fresh one (GDF Gnutella
// 0.6, 2.2.1).
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>

#include "common/util/encoding.h"
#include "common/util/random.h"

namespace p2p::gnutella {

using Guid = std::array<std::uint8_t, 16>;

// A new descriptor id. The draft asks for random bytes with byte 8 all ones, which tags a "modern" servent,
// and byte 15 zero, reserved for future use. Drawn from the node's Rng so a run replays from its seed.
inline Guid make_guid(Rng& rng) {
  Guid guid{};
  rng.fill(guid.data(), guid.size());
  guid[8] = 0xff;
  guid[15] = 0x00;
  return guid;
}

inline std::string to_hex(const Guid& guid) {
  return p2p::to_hex(ByteView(guid));
}

// GUIDs come off the wire, so the seen-table hashes every byte rather than trusting them to be random.
struct GuidHash {
  std::size_t operator()(const Guid& guid) const noexcept {
    std::uint64_t low = 0;
    std::uint64_t high = 0;
    std::memcpy(&low, guid.data(), 8);
    std::memcpy(&high, guid.data() + 8, 8);
    return std::hash<std::uint64_t>{}(low ^ (high * 0x9e3779b97f4a7c15ULL));
  }
};

}  // namespace p2p::gnutella
