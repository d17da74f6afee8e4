// ut_pex (BEP 11): compact peers with their flags, round trips, the IPv6 lists ignored, and a reason for each
// malformed list.
#include "bittorrent/extension/ut_pex.h"

#include <gtest/gtest.h>

#include <string>

namespace p2p::bittorrent::extension {
namespace {

Expected<PexMessage> decode_text(const std::string& text) {
  return decode_pex(as_bytes(text));
}

// The 6 compact bytes of a.b.c.d:port.
std::string compact(int a, int b, int c, int d, int port) {
  return {static_cast<char>(a), static_cast<char>(b),         static_cast<char>(c),
          static_cast<char>(d), static_cast<char>(port >> 8), static_cast<char>(port & 0xff)};
}

TEST(UtPexTest, WritesCompactPeersAndAFlagBytePerAddedPeer) {
  PexMessage message;
  message.added = {PexPeer{Endpoint{"1.2.3.4", 6881}, kPexSeed | kPexReachable}};
  message.dropped = {Endpoint{"5.6.7.8", 80}};
  Bytes bytes = encode_pex(message);
  // The flags 0x02 | 0x10 are 0x12.
  EXPECT_EQ(as_chars(bytes), "d5:added6:" + compact(1, 2, 3, 4, 6881) + "7:added.f1:\x12" +
                                 "7:dropped6:" + compact(5, 6, 7, 8, 80) + "e");
  auto decoded = decode_pex(bytes);
  ASSERT_TRUE(decoded) << decoded.reason();
  EXPECT_EQ(*decoded, message);

  // Nothing to say still writes the three keys.
  EXPECT_EQ(as_chars(encode_pex(PexMessage{})), "d5:added0:7:added.f0:7:dropped0:e");
}

TEST(UtPexTest, AddedPeersWithoutFlagsHaveNone) {
  auto decoded = decode_text("d5:added12:" + compact(10, 0, 0, 1, 6881) + compact(10, 0, 0, 2, 6882) + "e");
  ASSERT_TRUE(decoded) << decoded.reason();
  ASSERT_EQ(decoded->added.size(), 2u);
  EXPECT_EQ(decoded->added[1], (PexPeer{Endpoint{"10.0.0.2", 6882}, 0}));
  EXPECT_TRUE(decoded->dropped.empty());
}

TEST(UtPexTest, IgnoresTheIpv6ListsWhateverTheyHold) {
  // 18-byte IPv6 entries would be valid; 5 bytes and an integer are not, and still do not matter.
  auto decoded = decode_text("d6:added65:abcde8:added6.fi1e8:dropped6i7ee");
  ASSERT_TRUE(decoded) << decoded.reason();
  EXPECT_EQ(*decoded, PexMessage{});
}

TEST(UtPexTest, RefusesEachMalformedListWithAReason) {
  struct Case {
    std::string payload;
    std::string reason;
  };
  const Case cases[] = {
      {"", "input ends"},
      {"le", "not a dictionary"},
      {"d5:addedi1ee", "'added' is not a string"},
      {"d7:added.fli1eee", "'added.f' is not a string"},
      {"d7:droppedd1:ai1eee", "'dropped' is not a string"},
      {"d5:added5:abcdee", "'added' of 5 bytes, not a multiple of 6"},
      {"d7:dropped7:abcdefge", "'dropped' of 7 bytes, not a multiple of 6"},
      {"d5:added6:" + compact(0, 0, 0, 0, 6881) + "e", "'added': compact peer with address or port 0"},
      {"d7:dropped6:" + compact(1, 2, 3, 4, 0) + "e", "'dropped': compact peer with address or port 0"},
      {"d5:added6:" + compact(1, 2, 3, 4, 6881) + "7:added.f2:ab" + "e",
       "'added.f' has 2 bytes for 1 added peers"},
  };
  for (const Case& c : cases) {
    auto decoded = decode_text(c.payload);
    ASSERT_FALSE(decoded) << c.reason;
    EXPECT_NE(decoded.reason().find(c.reason), std::string::npos) << c.reason << ": " << decoded.reason();
    EXPECT_EQ(decoded.reason().rfind("ut_pex: ", 0), 0u) << decoded.reason();
  }
}

}  // namespace
}  // namespace p2p::bittorrent::extension
