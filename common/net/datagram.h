// Datagrams as every runtime carries them: the size limit, the counters each node keeps, and the id under
// which they share a node's ShapedQueues with its connections.
#pragma once

#include <cstddef>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "common/util/ids.h"
#include "common/util/random.h"

namespace p2p {

// The largest payload a UDP datagram over IPv4 can carry: a 65,535-byte IP packet (RFC 791) less its 20-byte
// header and the 8-byte UDP header (RFC 768). KRPC messages (BEP 5) are far smaller; a larger datagram
// cannot be sent at all, so every runtime refuses it.
inline constexpr std::size_t kMaxDatagramBytes = 65'507;

// Datagrams queue on a node's link under this connection id, which no connection ever has (IdAllocator
// starts at 1).
inline constexpr ConnId kDatagramConn{};

// The draws that decide which of node `node`'s datagrams a lossy link loses: a stream apart from the core's
// own (Rng::for_node(seed, node)), so turning loss on never changes what a core draws.
inline Rng loss_draws(std::uint64_t seed, std::uint64_t node) {
  return Rng::for_node(seed ^ 0x6c6f7373 /* "loss" */, node);
}

// What a node's runtime counts of its datagrams, published in its status record as sys.datagrams.
struct DatagramCounters {
  std::uint64_t sent = 0;      // left the uplink for the network
  std::uint64_t received = 0;  // handed to the core
  std::uint64_t dropped = 0;   // too large, lost on the link, refused by a full socket buffer, or unwanted

  nlohmann::json to_json() const { return {{"sent", sent}, {"received", received}, {"dropped", dropped}}; }
};

}  // namespace p2p
