// Compact contact information (BEP 5, "Contact Encoding"): peers in 6 bytes, nodes in 26.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "bittorrent/dht/node_id.h"
#include "common/net/endpoint.h"
#include "common/util/expected.h"

namespace p2p::bittorrent::dht {

// "Compact IP-address/port info": the IPv4 address then the port, both in network byte order.
inline constexpr std::size_t kCompactPeerBytes = 6;
// "Compact node info": the 20-byte node id, then the compact IP-address/port info.
inline constexpr std::size_t kCompactNodeBytes = kIdBytes + kCompactPeerBytes;

// A node as KRPC names it: its id and the UDP endpoint it answers on.
struct NodeInfo {
  NodeId id;
  Endpoint endpoint;
  friend bool operator==(const NodeInfo&, const NodeInfo&) = default;
};

// `endpoint` must hold a dotted IPv4 address: the DHT of BEP 5 is IPv4 only.
std::string encode_compact_peer(const Endpoint& endpoint);
// Exactly 6 bytes. An address or port of 0 cannot be contacted and is refused.
Expected<Endpoint> decode_compact_peer(std::string_view raw);

std::string encode_compact_nodes(const std::vector<NodeInfo>& nodes);
// A concatenation of 26-byte entries: a length that is not a multiple of 26 is refused, and so is an entry
// with an address or port of 0.
Expected<std::vector<NodeInfo>> decode_compact_nodes(std::string_view raw);

}  // namespace p2p::bittorrent::dht
