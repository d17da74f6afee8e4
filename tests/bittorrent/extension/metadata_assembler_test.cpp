// MetadataAssembler (BEP 9): pieces asked once each, gathered whatever their order, verified against the
// info-hash, and a corrupt piece that costs a counted reset.
#include "bittorrent/extension/metadata_assembler.h"

#include <gtest/gtest.h>

#include <string>

#include "bittorrent/bencode.h"

namespace p2p::bittorrent::extension {
namespace {

using Progress = MetadataAssembler::Progress;

// An info dictionary of three metadata pieces (about 40 KB of piece hashes), as a seed holds it.
Bytes info_dictionary() {
  std::string hashes;
  for (int i = 0; hashes.size() < 40000; ++i)
    hashes += std::string(as_chars(sha1(as_bytes(std::to_string(i)))));
  return encode(
      Dict{{"length", 123456789}, {"name", "album.flac"}, {"piece length", 262144}, {"pieces", hashes}});
}

// What a seed sends for `piece`, through the codec, as a peer would receive it.
struct Received {
  Bytes payload;
  MetadataData data;
};
Received from_seed(ByteView metadata, std::uint32_t piece) {
  Received out{encode_metadata_message(answer_metadata_request(MetadataRequest{piece}, metadata)), {}};
  out.data = std::get<MetadataData>(*decode_metadata_message(out.payload));
  return out;
}

MetadataAssembler assembler_for(ByteView metadata) {
  return *MetadataAssembler::create({.info_hash = sha1(metadata), .metadata_size = metadata.size()});
}

TEST(MetadataAssemblerTest, AsksForEachPieceOnceAndAgainWhenReleased) {
  Bytes metadata = info_dictionary();
  MetadataAssembler assembler = assembler_for(metadata);
  ASSERT_EQ(assembler.piece_count(), 3u);
  EXPECT_EQ(assembler.next_request(), 0u);
  EXPECT_EQ(assembler.next_request(), 1u);
  EXPECT_EQ(assembler.next_request(), 2u);
  EXPECT_EQ(assembler.next_request(), std::nullopt);  // all three are asked for
  // The peer asked for piece 1 rejected it: it is the next to ask.
  assembler.release(1);
  EXPECT_EQ(assembler.next_request(), 1u);
  EXPECT_EQ(assembler.next_request(), std::nullopt);
}

TEST(MetadataAssemblerTest, GathersPiecesInAnyOrderAndVerifiesTheWhole) {
  Bytes metadata = info_dictionary();
  MetadataAssembler assembler = assembler_for(metadata);
  for (int i = 0; i < 3; ++i) (void)assembler.next_request();

  EXPECT_EQ(*assembler.on_data(from_seed(metadata, 2).data), Progress::Stored);
  EXPECT_EQ(*assembler.on_data(from_seed(metadata, 0).data), Progress::Stored);
  EXPECT_EQ(*assembler.on_data(from_seed(metadata, 0).data), Progress::Duplicate);
  EXPECT_FALSE(assembler.complete());
  EXPECT_EQ(*assembler.on_data(from_seed(metadata, 1).data), Progress::Complete);
  ASSERT_TRUE(assembler.complete());
  EXPECT_TRUE(std::ranges::equal(assembler.metadata(), metadata));
  EXPECT_EQ(assembler.corrupt_resets(), 0u);
  EXPECT_EQ(*assembler.on_data(from_seed(metadata, 1).data), Progress::Duplicate);
  EXPECT_EQ(assembler.next_request(), std::nullopt);
}

TEST(MetadataAssemblerTest, ACorruptPieceResetsEverythingAndIsCounted) {
  Bytes metadata = info_dictionary();
  MetadataAssembler assembler = assembler_for(metadata);
  for (int i = 0; i < 3; ++i) (void)assembler.next_request();

  // A bad peer flips one byte of piece 1; nothing can tell until the whole is hashed.
  Bytes corrupt = metadata;
  corrupt[kMetadataPieceSize + 100] ^= 0xff;
  EXPECT_EQ(*assembler.on_data(from_seed(metadata, 0).data), Progress::Stored);
  EXPECT_EQ(*assembler.on_data(from_seed(corrupt, 1).data), Progress::Stored);
  EXPECT_EQ(*assembler.on_data(from_seed(metadata, 2).data), Progress::CorruptReset);
  EXPECT_FALSE(assembler.complete());
  EXPECT_EQ(assembler.corrupt_resets(), 1u);

  // Every piece is asked for again, and good pieces complete it.
  for (std::uint32_t piece = 0; piece < 3; ++piece) {
    EXPECT_EQ(assembler.next_request(), piece);
    Progress progress = *assembler.on_data(from_seed(metadata, piece).data);
    EXPECT_EQ(progress, piece < 2 ? Progress::Stored : Progress::Complete);
  }
  EXPECT_TRUE(std::ranges::equal(assembler.metadata(), metadata));
  EXPECT_EQ(assembler.corrupt_resets(), 1u);
}

TEST(MetadataAssemblerTest, RefusesDataThatIsNotAPieceOfThisMetadata) {
  Bytes metadata = info_dictionary();
  MetadataAssembler assembler = assembler_for(metadata);
  const std::string small(100, 's');
  // Another total size than the one announced in the extension handshake.
  EXPECT_NE(assembler.on_data(MetadataData{0, 100, as_bytes(small)}).reason().find("not the"),
            std::string::npos);
  // A piece past the end, and a piece of the wrong length.
  EXPECT_NE(assembler.on_data(MetadataData{3, metadata.size(), as_bytes(small)}).reason().find("piece 3"),
            std::string::npos);
  EXPECT_NE(assembler.on_data(MetadataData{0, metadata.size(), as_bytes(small)}).reason().find("100 bytes"),
            std::string::npos);
}

TEST(MetadataAssemblerTest, RefusesAnImpossibleMetadataSize) {
  EXPECT_FALSE(MetadataAssembler::create({.info_hash = {}, .metadata_size = 0}));
  auto huge = MetadataAssembler::create({.info_hash = {}, .metadata_size = kMaxMetadataSize + 1});
  ASSERT_FALSE(huge);
  EXPECT_NE(huge.reason().find("16777217 bytes"), std::string::npos);
  EXPECT_TRUE(MetadataAssembler::create({.info_hash = {}, .metadata_size = kMaxMetadataSize}));
}

}  // namespace
}  // namespace p2p::bittorrent::extension
