// Node ids: the XOR metric, shared prefixes and random ids inside a bucket's range (BEP 5).
#include "bittorrent/dht/node_id.h"

#include <gtest/gtest.h>

#include "tests/bittorrent/dht/ids.h"

namespace p2p::bittorrent::dht {
namespace {

using test::id_from_bits;

TEST(NodeIdTest, ReadsExactlyTwentyBytes) {
  std::string raw = "abcdefghij0123456789";
  auto id = NodeId::from_bytes(as_bytes(raw));
  ASSERT_TRUE(id) << id.reason();
  EXPECT_EQ(std::string(as_chars(id->bytes)), raw);
  EXPECT_EQ(NodeId::from_bytes(as_bytes(raw.substr(1))).reason(), "id of 19 bytes, not 20");
  EXPECT_EQ(NodeId::from_bytes(as_bytes(raw + "x")).reason(), "id of 21 bytes, not 20");
}

TEST(NodeIdTest, DistanceIsXorAndOrdersAsAnUnsignedNumber) {
  NodeId a = id_from_bits("1100");
  NodeId b = id_from_bits("1010");
  EXPECT_EQ(distance(a, b), id_from_bits("0110"));
  EXPECT_EQ(distance(a, a), NodeId{});
  // Seen from 0000..., 0110... is closer than 1000... though it has more bits set: the highest bit rules.
  NodeId target;
  EXPECT_TRUE(closer(target, id_from_bits("0110", true), id_from_bits("1")));
  EXPECT_FALSE(closer(target, a, a));
}

TEST(NodeIdTest, CountsSharedLeadingBits) {
  EXPECT_EQ(shared_prefix_bits(id_from_bits("1011"), id_from_bits("1001")), 2u);
  EXPECT_EQ(shared_prefix_bits(id_from_bits("0"), id_from_bits("1")), 0u);
  // The first difference in the last bit of the second byte.
  EXPECT_EQ(shared_prefix_bits(id_from_bits("0000000000000000"), id_from_bits("0000000000000001")), 15u);
  EXPECT_EQ(shared_prefix_bits(id_from_bits("101"), id_from_bits("101")), kIdBits);
}

TEST(NodeIdTest, ReadsBitsFromTheMostSignificant) {
  NodeId id = id_from_bits("1001");
  EXPECT_TRUE(id.bit(0));
  EXPECT_FALSE(id.bit(1));
  EXPECT_FALSE(id.bit(2));
  EXPECT_TRUE(id.bit(3));
  EXPECT_FALSE(id.bit(kIdBits - 1));
}

TEST(NodeIdTest, RandomIdsKeepThePrefixAndVaryAfterIt) {
  Rng rng(7);
  NodeId prefix = id_from_bits("1011001110", true);
  bool varied = false;
  for (int i = 0; i < 50; ++i) {
    NodeId id = random_id_with_prefix(prefix, 10, rng);
    EXPECT_GE(shared_prefix_bits(id, prefix), 10u);
    varied = varied || id.bit(10) != id.bit(11) || id.bytes[19] != 0xff;
  }
  EXPECT_TRUE(varied);
  EXPECT_EQ(random_id_with_prefix(prefix, kIdBits, rng), prefix);
}

}  // namespace
}  // namespace p2p::bittorrent::dht
