// Node ids: XOR distance and shared prefixes, byte by byte.
#include "bittorrent/dht/node_id.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <string>

namespace p2p::bittorrent::dht {

Expected<NodeId> NodeId::from_bytes(ByteView raw) {
  if (raw.size() != kIdBytes) return make_error("id of " + std::to_string(raw.size()) + " bytes, not 20");
  NodeId id;
  std::ranges::copy(raw, id.bytes.begin());
  return id;
}

NodeId NodeId::random(Rng& rng) {
  NodeId id;
  rng.fill(id.bytes.data(), id.bytes.size());
  return id;
}

bool NodeId::bit(std::size_t index) const {
  assert(index < kIdBits);
  return (bytes[index / 8] >> (7 - index % 8)) & 1;
}

NodeId distance(const NodeId& a, const NodeId& b) {
  NodeId out;
  for (std::size_t i = 0; i < kIdBytes; ++i) out.bytes[i] = a.bytes[i] ^ b.bytes[i];
  return out;
}

bool closer(const NodeId& target, const NodeId& a, const NodeId& b) {
  return distance(target, a) < distance(target, b);
}

std::size_t shared_prefix_bits(const NodeId& a, const NodeId& b) {
  for (std::size_t i = 0; i < kIdBytes; ++i) {
    auto diff = static_cast<std::uint8_t>(a.bytes[i] ^ b.bytes[i]);
    if (diff != 0) return i * 8 + static_cast<std::size_t>(std::countl_zero(diff));
  }
  return kIdBits;
}

NodeId random_id_with_prefix(const NodeId& prefix, std::size_t bits, Rng& rng) {
  assert(bits <= kIdBits);
  NodeId out = NodeId::random(rng);
  std::size_t whole = bits / 8;
  std::copy_n(prefix.bytes.begin(), whole, out.bytes.begin());
  if (std::size_t rest = bits % 8; rest != 0) {
    auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
    out.bytes[whole] = static_cast<std::uint8_t>((prefix.bytes[whole] & mask) | (out.bytes[whole] & ~mask));
  }
  return out;
}

}  // namespace p2p::bittorrent::dht
