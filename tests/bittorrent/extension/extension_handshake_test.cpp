// The BEP 10 extension handshake: the spec's example, round trips, ids that turn an extension off, and a
// reason for each malformed item.
#include "bittorrent/extension/extension_handshake.h"

#include <gtest/gtest.h>

#include <string>

#include "bittorrent/extension/ut_pex.h"
#include "bittorrent/wire.h"

namespace p2p::bittorrent::extension {
namespace {

Expected<ExtensionHandshake> decode_text(const std::string& text) {
  return decode_extension_handshake(as_bytes(text));
}

TEST(ExtensionHandshakeTest, DecodesTheExampleOfBep10) {
  // {'m': {'LT_metadata': 1, 'ut_pex': 2}, 'p': 6881, 'v': "µTorrent 1.2"} as BEP 10 shows it.
  auto handshake = decode_text("d1:md11:LT_metadatai1e6:ut_pexi2ee1:pi6881e1:v13:\xc2\xb5Torrent 1.2e");
  ASSERT_TRUE(handshake) << handshake.reason();
  EXPECT_EQ(handshake->id_of("LT_metadata"), 1);
  EXPECT_EQ(handshake->id_of("ut_pex"), 2);
  EXPECT_EQ(handshake->id_of("ut_metadata"), std::nullopt);
  EXPECT_EQ(handshake->p, 6881);
  EXPECT_EQ(handshake->v, "\xc2\xb5Torrent 1.2");
  EXPECT_EQ(handshake->metadata_size, std::nullopt);
}

TEST(ExtensionHandshakeTest, RoundTripsEveryItem) {
  ExtensionHandshake handshake;
  handshake.m = {{"ut_metadata", 3}, {"ut_pex", 1}};
  handshake.v = "p2plab 1.0";
  handshake.p = 51413;
  handshake.metadata_size = 31235;
  handshake.reqq = 250;
  handshake.yourip = std::string("\x7f\x00\x00\x01", 4);
  Bytes bytes = encode_extension_handshake(handshake);
  // Keys in raw-byte order, as bencoding requires.
  EXPECT_EQ(as_chars(bytes),
            "d1:md11:ut_metadatai3e6:ut_pexi1ee13:metadata_sizei31235e1:pi51413e4:reqqi250e1:v10:p2plab 1.0"
            "6:yourip4:" +
                *handshake.yourip + "e");
  auto decoded = decode_extension_handshake(bytes);
  ASSERT_TRUE(decoded) << decoded.reason();
  EXPECT_EQ(*decoded, handshake);

  // The smallest handshake: every item is optional, even `m`.
  auto empty = decode_text("de");
  ASSERT_TRUE(empty) << empty.reason();
  EXPECT_TRUE(empty->m.empty());
  EXPECT_EQ(as_chars(encode_extension_handshake(*empty)), "d1:mdee");
}

TEST(ExtensionHandshakeTest, AnIdOfZeroTurnsAnExtensionOff) {
  // BEP 10: a later handshake may disable an extension by giving it id 0.
  auto handshake = decode_text("d1:md11:ut_metadatai0e6:ut_pexi1eee");
  ASSERT_TRUE(handshake) << handshake.reason();
  EXPECT_EQ(handshake->id_of("ut_metadata"), std::nullopt);
  EXPECT_EQ(handshake->id_of("ut_pex"), 1);
  EXPECT_EQ(handshake->m.at("ut_metadata"), 0);  // kept, so a re-encoding says the same
}

TEST(ExtensionHandshakeTest, IgnoresItemsOtherExtensionsDefine) {
  auto handshake =
      decode_text("d12:complete_agoi-1e4:ipv416:0123456789abcdef1:md6:ut_pexi1ee11:upload_onlyi1ee");
  ASSERT_TRUE(handshake) << handshake.reason();
  EXPECT_EQ(handshake->id_of("ut_pex"), 1);
}

TEST(ExtensionHandshakeTest, RefusesEachMalformedItemWithAReason) {
  struct Case {
    std::string payload;
    std::string reason;
  };
  const Case cases[] = {
      {"", "input ends"},
      {"d1:md6:ut_pexi1eee trailing", "follow the value"},
      {"li1ee", "not a dictionary"},
      {"d1:mi1ee", "'m' is not a dictionary"},
      {"d1:md6:ut_pex1:1ee", "'ut_pex' has no id from 0 to 255"},
      {"d1:md6:ut_pexi256eee", "'ut_pex' has no id from 0 to 255"},
      {"d1:md6:ut_pexi-1eee", "'ut_pex' has no id from 0 to 255"},
      {"d1:pi0ee", "'p' is not an integer from 1 to 65535"},
      {"d1:pi65536ee", "'p' is not an integer from 1 to 65535"},
      {"d1:p4:6881e", "'p' is not an integer"},
      {"d13:metadata_sizei0ee", "'metadata_size' is not an integer from 1"},
      {"d4:reqqi-5ee", "'reqq' is not an integer from 1 to 4294967295"},
      {"d1:vi1ee", "'v' is not a string"},
      {"d6:yourip3:abce", "'yourip' of 3 bytes, not 4 or 16"},
      {"d6:youripi1ee", "'yourip' is not a string"},
  };
  for (const Case& c : cases) {
    auto decoded = decode_text(c.payload);
    ASSERT_FALSE(decoded) << c.payload;
    EXPECT_NE(decoded.reason().find(c.reason), std::string::npos) << c.payload << ": " << decoded.reason();
    EXPECT_EQ(decoded.reason().rfind("extension handshake: ", 0), 0u) << decoded.reason();
  }
}

TEST(ExtensionHandshakeTest, TravelsAsExtendedMessageZeroOnThePeerWire) {
  ExtensionHandshake mine;
  mine.m = {{std::string(kUtPex), 1}};
  mine.p = 6881;
  Bytes payload = encode_extension_handshake(mine);
  Bytes frame = encode_message(Extended{kHandshakeId, payload});

  auto message = decode_message(frame);
  ASSERT_TRUE(message) << message.reason();
  const auto& extended = std::get<Extended>(*message);
  ASSERT_EQ(extended.extended_id, kHandshakeId);
  auto theirs = decode_extension_handshake(extended.payload);
  ASSERT_TRUE(theirs) << theirs.reason();
  EXPECT_EQ(*theirs, mine);
}

}  // namespace
}  // namespace p2p::bittorrent::extension
