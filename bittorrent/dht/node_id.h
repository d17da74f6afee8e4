// Kademlia node ids (BEP 5, "Overview"): 160-bit ids in the info-hash space, compared by XOR distance.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "common/util/bytes.h"
#include "common/util/expected.h"
#include "common/util/random.h"

namespace p2p::bittorrent::dht {

inline constexpr std::size_t kIdBytes = 20;
inline constexpr std::size_t kIdBits = kIdBytes * 8;

// A node id, or an info-hash or a lookup target: BEP 5 puts them in one space so that "close to an
// info-hash" means something. Bytes are big-endian, so comparing the arrays compares the 160-bit numbers.
struct NodeId {
  std::array<std::uint8_t, kIdBytes> bytes{};

  // Exactly 20 bytes, or an error that names the length received.
  static Expected<NodeId> from_bytes(ByteView raw);
  static NodeId random(Rng& rng);

  // Bit `index`, counted from the most significant (bit 0 decides the first split of the id space).
  bool bit(std::size_t index) const;

  auto operator<=>(const NodeId&) const = default;
};

// The Kademlia metric (Maymounkov and Mazieres, section 2.1; BEP 5): a XOR b, read as an unsigned number.
NodeId distance(const NodeId& a, const NodeId& b);
// Whether `a` is strictly closer to `target` than `b`.
bool closer(const NodeId& target, const NodeId& a, const NodeId& b);
// How many leading bits a and b share: kIdBits when they are equal. A routing table keeps ids by this count.
std::size_t shared_prefix_bits(const NodeId& a, const NodeId& b);
// A random id whose first `bits` bits are those of `prefix`, for refreshing a bucket (BEP 5, "Routing
// Table": "picking a random ID in the range of the bucket").
NodeId random_id_with_prefix(const NodeId& prefix, std::size_t bits, Rng& rng);

}  // namespace p2p::bittorrent::dht
