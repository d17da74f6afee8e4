// ut_metadata (BEP 9): the spec's examples, 16 KiB pieces, round trips, what a peer answers, and a reason
// for each malformed message.
#include "bittorrent/extension/ut_metadata.h"

#include <gtest/gtest.h>

#include <string>

namespace p2p::bittorrent::extension {
namespace {

Expected<MetadataMessage> decode_text(const std::string& text) {
  return decode_metadata_message(as_bytes(text));
}

std::string encode_text(const MetadataMessage& message) {
  return std::string(as_chars(encode_metadata_message(message)));
}

TEST(UtMetadataTest, CutsMetadataInSixteenKibPiecesTheLastShorter) {
  EXPECT_EQ(metadata_piece_count(1), 1u);
  EXPECT_EQ(metadata_piece_count(16384), 1u);
  EXPECT_EQ(metadata_piece_count(16385), 2u);
  // BEP 9's example size: two whole pieces and 1,488 bytes.
  EXPECT_EQ(metadata_piece_count(34256), 3u);
  EXPECT_EQ(metadata_piece_length(34256, 0), 16384u);
  EXPECT_EQ(metadata_piece_length(34256, 2), 1488u);
  EXPECT_EQ(metadata_piece_length(34256, 3), 0u);
}

TEST(UtMetadataTest, EncodesTheExamplesOfBep9) {
  EXPECT_EQ(encode_text(MetadataRequest{0}), "d8:msg_typei0e5:piecei0ee");
  EXPECT_EQ(encode_text(MetadataReject{0}), "d8:msg_typei2e5:piecei0ee");
  // The data message: the dictionary, then the piece, which is not part of it.
  const std::string piece(16384, 'x');
  EXPECT_EQ(encode_text(MetadataData{0, 34256, as_bytes(piece)}),
            "d8:msg_typei1e5:piecei0e10:total_sizei34256ee" + piece);
}

TEST(UtMetadataTest, DecodesWhatItEncodes) {
  const std::string last(1488, 'z');
  Bytes bytes = encode_metadata_message(MetadataData{2, 34256, as_bytes(last)});
  auto decoded = decode_metadata_message(bytes);
  ASSERT_TRUE(decoded) << decoded.reason();
  const auto& data = std::get<MetadataData>(*decoded);
  EXPECT_EQ(data, (MetadataData{2, 34256, as_bytes(last)}));
  EXPECT_EQ(data.data.data(), bytes.data() + bytes.size() - last.size());  // a view, not a copy

  for (const MetadataMessage& message :
       {MetadataMessage(MetadataRequest{7}), MetadataMessage(MetadataReject{9})}) {
    auto again = decode_metadata_message(encode_metadata_message(message));
    ASSERT_TRUE(again) << again.reason();
    EXPECT_EQ(*again, message);
  }
}

TEST(UtMetadataTest, AnUnknownMsgTypeDecodesSoItCanBeIgnored) {
  // BEP 9: unrecognised message ids must be ignored, not treated as errors.
  auto decoded = decode_text("d8:msg_typei3e5:piecei0e4:somei1ee");
  ASSERT_TRUE(decoded) << decoded.reason();
  EXPECT_EQ(std::get<UnknownMetadataMessage>(*decoded).msg_type, 3);
}

TEST(UtMetadataTest, RefusesEachMalformedMessageWithAReason) {
  struct Case {
    std::string payload;
    std::string reason;
  };
  const Case cases[] = {
      {"", "input ends"},
      {"i1e", "not a dictionary"},
      {"d5:piecei0ee", "no 'msg_type'"},
      {"d8:msg_type1:0e", "'msg_type' is not an integer"},
      {"d8:msg_typei0ee", "no 'piece'"},
      {"d8:msg_typei0e5:piece1:0e", "'piece' is not an integer"},
      {"d8:msg_typei0e5:piecei-1ee", "piece -1 is past the largest metadata"},
      {"d8:msg_typei0e5:piecei1024ee", "piece 1024 is past the largest metadata"},
      {"d8:msg_typei0e5:piecei0eeabc", "3 bytes follow a request or reject"},
      {"d8:msg_typei2e5:piecei0eex", "1 bytes follow a request or reject"},
      {"d8:msg_typei1e5:piecei0eeabc", "no 'total_size'"},
      {"d8:msg_typei1e5:piecei0e10:total_sizei0eeabc", "total_size 0 is not from 1"},
      {"d8:msg_typei1e5:piecei0e10:total_sizei16777217eeabc", "total_size 16777217 is not from 1"},
      {"d8:msg_typei1e5:piecei1e10:total_sizei3eeabc", "piece 1 is past the end of 3 bytes"},
      {"d8:msg_typei1e5:piecei0e10:total_sizei3eeab", "piece 0 carries 2 bytes, not 3"},
      {"d8:msg_typei1e5:piecei0e10:total_sizei3eeabcd", "piece 0 carries 4 bytes, not 3"},
      {"d8:msg_typei1e5:piecei0e10:total_sizei20000ee" + std::string(20000, 'x'),
       "piece 0 carries 20000 bytes, not 16384"},
  };
  for (const Case& c : cases) {
    auto decoded = decode_text(c.payload);
    ASSERT_FALSE(decoded) << c.reason;
    EXPECT_NE(decoded.reason().find(c.reason), std::string::npos) << c.reason << ": " << decoded.reason();
    EXPECT_EQ(decoded.reason().rfind("ut_metadata: ", 0), 0u) << decoded.reason();
  }
}

TEST(UtMetadataTest, APeerAnswersWithThePieceOrARejection) {
  const std::string metadata(20000, 'm');
  auto second = answer_metadata_request(MetadataRequest{1}, as_bytes(metadata));
  EXPECT_EQ(std::get<MetadataData>(second), (MetadataData{1, 20000, as_bytes(metadata.substr(16384))}));
  // Past the end, and without the whole metadata (BEP 9: a peer that lacks it rejects every request).
  EXPECT_EQ(std::get<MetadataReject>(answer_metadata_request(MetadataRequest{2}, as_bytes(metadata))).piece,
            2u);
  EXPECT_EQ(std::get<MetadataReject>(answer_metadata_request(MetadataRequest{0}, ByteView())).piece, 0u);
}

}  // namespace
}  // namespace p2p::bittorrent::extension
