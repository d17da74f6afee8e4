// Hand-made node ids for the DHT tests: an id is named by its leading bits, so a test reads which bucket it
// falls in.
#pragma once

#include <cassert>
#include <string_view>

#include "bittorrent/dht/node_id.h"

namespace p2p::bittorrent::dht::test {

// The id whose first bits are `bits` ("0110"), then `fill` (0 or 1) to the end.
inline NodeId id_from_bits(std::string_view bits, bool fill = false) {
  NodeId id;
  for (std::size_t i = 0; i < kIdBits; ++i) {
    bool one = i < bits.size() ? bits[i] == '1' : fill;
    assert(i >= bits.size() || bits[i] == '0' || bits[i] == '1');
    if (one) id.bytes[i / 8] |= static_cast<std::uint8_t>(0x80 >> (i % 8));
  }
  return id;
}

}  // namespace p2p::bittorrent::dht::test
