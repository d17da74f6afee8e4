// Compact peer and node info (BEP 5, "Contact Encoding"): the byte layout, and what is refused.
#include "bittorrent/dht/compact.h"

#include <gtest/gtest.h>

namespace p2p::bittorrent::dht {
namespace {

// 127.0.0.1:6881 as 6 bytes: the address, then the port, both big-endian.
const std::string kLoopback6881("\x7f\x00\x00\x01\x1a\xe1", 6);

TEST(CompactTest, PeersAreSixBytesInNetworkOrder) {
  EXPECT_EQ(encode_compact_peer(Endpoint{"127.0.0.1", 6881}), kLoopback6881);
  auto peer = decode_compact_peer(kLoopback6881);
  ASSERT_TRUE(peer) << peer.reason();
  EXPECT_EQ(*peer, (Endpoint{"127.0.0.1", 6881}));
}

TEST(CompactTest, RefusesPeersOfTheWrongLengthOrWithZeroes) {
  EXPECT_EQ(decode_compact_peer(kLoopback6881.substr(0, 5)).reason(), "compact peer of 5 bytes, not 6");
  EXPECT_FALSE(decode_compact_peer(kLoopback6881 + "x"));
  EXPECT_EQ(decode_compact_peer(std::string("\x7f\x00\x00\x01\x00\x00", 6)).reason(),
            "compact peer with address or port 0");
  EXPECT_FALSE(decode_compact_peer(std::string("\x00\x00\x00\x00\x1a\xe1", 6)));
}

TEST(CompactTest, NodesAreTheIdThenThePeer) {
  NodeId id = *NodeId::from_bytes(as_bytes("abcdefghij0123456789"));
  std::vector<NodeInfo> nodes{{id, Endpoint{"127.0.0.1", 6881}}, {NodeId{}, Endpoint{"10.0.0.2", 1}}};
  std::string raw = encode_compact_nodes(nodes);
  ASSERT_EQ(raw.size(), 2 * kCompactNodeBytes);
  EXPECT_EQ(raw.substr(0, 26), "abcdefghij0123456789" + kLoopback6881);
  auto decoded = decode_compact_nodes(raw);
  ASSERT_TRUE(decoded) << decoded.reason();
  EXPECT_EQ(*decoded, nodes);
  EXPECT_TRUE(decode_compact_nodes("")->empty());
}

TEST(CompactTest, RefusesPartialNodesAndNodesThatCannotBeReached) {
  std::string one = "abcdefghij0123456789" + kLoopback6881;
  EXPECT_EQ(decode_compact_nodes(one + one.substr(0, 25)).reason(),
            "compact nodes of 51 bytes, not a multiple of 26");
  EXPECT_EQ(decode_compact_nodes(one.substr(0, 20) + std::string(6, '\0')).reason(),
            "compact peer with address or port 0");
}

}  // namespace
}  // namespace p2p::bittorrent::dht
