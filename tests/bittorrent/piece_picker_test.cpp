// PiecePicker: random first piece, rarest first, strict priority, endgame and the other strategies, narrated
// over text fixtures: "2223333" is the number of copies of each piece in the swarm, "1101" a peer's bitfield.
#include "bittorrent/piece_picker.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace p2p::bittorrent {
namespace {

constexpr std::int64_t kPieceLength =
    std::int64_t{4} * kBlockSize;  // 4 blocks a piece keeps the narration short

constexpr ConnId kAlice(1);
constexpr ConnId kBob(2);
constexpr ConnId kCarol(3);

// "1101": the peer has pieces 0, 1 and 3.
PieceSet pieces(std::string_view bits) {
  PieceSet set(bits.size());
  for (std::uint32_t i = 0; i < bits.size(); ++i) {
    if (bits[i] == '1') set.insert(PieceIndex(i));
  }
  return set;
}

PieceSet everything(std::size_t count) {
  return PieceSet::full(count);
}

// A picker over availability.size() pieces of 4 blocks, where piece i has availability[i] copies in the
// swarm.
PiecePicker picker_with(std::string_view availability, PickerConfig options = {}) {
  PiecePicker picker(
      TorrentLayout(static_cast<std::int64_t>(availability.size()) * kPieceLength, kPieceLength), options);
  for (std::uint32_t i = 0; i < availability.size(); ++i) {
    for (char c = '0'; c < availability[i]; ++c) picker.add_peer_piece(PieceIndex(i));
  }
  return picker;
}

std::set<std::uint32_t> pieces_of(const std::vector<BlockRef>& blocks) {
  std::set<std::uint32_t> out;
  for (const BlockRef& block : blocks) out.insert(block.piece.value);
  return out;
}

TEST(PiecePickerTest, RarestFirstPicksTheLeastAvailablePiece) {
  PiecePicker picker = picker_with("3331333");
  picker.mark_have(PieceIndex(6));  // past the random first piece
  Rng rng(1);
  auto blocks = picker.pick(kAlice, everything(7), 4, rng);
  ASSERT_EQ(blocks.size(), 4u);
  EXPECT_EQ(pieces_of(blocks), std::set<std::uint32_t>{3});
  EXPECT_EQ(blocks[0].begin(), 0u);
  EXPECT_EQ(blocks[3].begin(), 3 * kBlockSize);
}

TEST(PiecePickerTest, RarestFirstBreaksTiesAtRandom) {
  // Pieces 0, 1 and 2 have two copies each: over many seeds each of them is picked, and nothing else ever is.
  std::set<std::uint32_t> seen;
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    PiecePicker picker = picker_with("2223333");
    picker.mark_have(PieceIndex(6));
    Rng rng(seed);
    auto blocks = picker.pick(kAlice, everything(7), 1, rng);
    ASSERT_EQ(blocks.size(), 1u);
    seen.insert(blocks[0].piece.value);
  }
  EXPECT_EQ(seen, (std::set<std::uint32_t>{0, 1, 2}));
}

TEST(PiecePickerTest, PicksTheFirstPieceAtRandomThenSwitchesToRarest) {
  // Piece 0 is the rarest, but with nothing complete yet the first piece is a random one.
  std::set<std::uint32_t> first;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    PiecePicker picker = picker_with("1999999");
    Rng rng(seed);
    first.insert(picker.pick(kAlice, everything(7), 1, rng)[0].piece.value);
  }
  EXPECT_GT(first.size(), 3u);

  // Once one piece is complete, rarest first always chooses piece 0.
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    PiecePicker picker = picker_with("1999999");
    picker.mark_have(PieceIndex(5));
    Rng rng(seed);
    EXPECT_EQ(picker.pick(kAlice, everything(7), 1, rng)[0].piece, PieceIndex(0));
  }
}

TEST(PiecePickerTest, PicksOnlyPiecesThePeerHas) {
  PiecePicker picker = picker_with("1222222");
  picker.mark_have(PieceIndex(6));
  Rng rng(1);
  // Alice lacks the rare piece 0, so she is asked for the next rarest that she has.
  auto blocks = picker.pick(kAlice, pieces("0011000"), 8, rng);
  EXPECT_EQ(pieces_of(blocks), (std::set<std::uint32_t>{2, 3}));
  EXPECT_TRUE(picker.pick(kBob, pieces("0000001"), 8, rng).empty());  // Bob has only what we have
}

TEST(PiecePickerTest, FinishesStartedPiecesBeforeStartingNewOnes) {
  PiecePicker picker = picker_with("3331333");
  picker.mark_have(PieceIndex(6));
  Rng rng(1);
  // Alice takes half of piece 3 (the rarest).
  auto alice = picker.pick(kAlice, everything(7), 2, rng);
  EXPECT_EQ(pieces_of(alice), std::set<std::uint32_t>{3});
  // Bob is asked first for the other half of piece 3 (strict priority), and only then for a new piece.
  auto bob = picker.pick(kBob, everything(7), 4, rng);
  ASSERT_EQ(bob.size(), 4u);
  EXPECT_EQ(bob[0], (BlockRef{PieceIndex(3), 2}));
  EXPECT_EQ(bob[1], (BlockRef{PieceIndex(3), 3}));
  EXPECT_NE(bob[2].piece, PieceIndex(3));
}

TEST(PiecePickerTest, SequentialPicksInIndexOrder) {
  PiecePicker picker = picker_with("9999111", {.strategy = PickStrategy::Sequential});
  picker.mark_have(PieceIndex(0));
  Rng rng(1);
  auto blocks = picker.pick(kAlice, everything(7), 8, rng);
  EXPECT_EQ(pieces_of(blocks), (std::set<std::uint32_t>{1, 2}));  // rarity is ignored
}

TEST(PiecePickerTest, RandomStrategyIgnoresRarity) {
  std::set<std::uint32_t> seen;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    PiecePicker picker = picker_with("1999999", {.strategy = PickStrategy::Random});
    picker.mark_have(PieceIndex(6));
    Rng rng(seed);
    seen.insert(picker.pick(kAlice, everything(7), 1, rng)[0].piece.value);
  }
  EXPECT_GT(seen.size(), 3u);
}

TEST(PiecePickerTest, EndgameAsksEveryPeerForTheLastBlocksAndCancelsDuplicates) {
  PiecePicker picker = picker_with("22");
  picker.mark_have(PieceIndex(0));
  Rng rng(1);
  // Alice is asked for all 4 blocks of the last piece: nothing is left unasked, so endgame begins.
  EXPECT_EQ(picker.pick(kAlice, everything(2), 10, rng).size(), 4u);
  EXPECT_TRUE(picker.in_endgame());
  // Bob is asked for the same blocks, and Alice is not asked twice.
  EXPECT_EQ(picker.pick(kBob, everything(2), 10, rng).size(), 4u);
  EXPECT_TRUE(picker.pick(kAlice, everything(2), 10, rng).empty());
  // Alice delivers block 0 first: Bob's request for it is to be cancelled.
  BlockArrival arrival = picker.on_block(kAlice, {PieceIndex(1), 0});
  EXPECT_EQ(arrival.verdict, BlockArrival::Verdict::Accepted);
  EXPECT_EQ(arrival.cancel, std::vector<ConnId>{kBob});
  // Bob's copy, sent before the cancel reached him, is a duplicate.
  EXPECT_EQ(picker.on_block(kBob, {PieceIndex(1), 0}).verdict, BlockArrival::Verdict::Duplicate);
  // The last block to arrive completes the piece.
  picker.on_block(kBob, {PieceIndex(1), 1});
  picker.on_block(kBob, {PieceIndex(1), 2});
  EXPECT_TRUE(picker.on_block(kAlice, {PieceIndex(1), 3}).piece_complete);
}

TEST(PiecePickerTest, WithoutEndgameTheLastBlocksWaitForTheirPeer) {
  PiecePicker picker = picker_with("22", {.endgame = false});
  picker.mark_have(PieceIndex(0));
  Rng rng(1);
  EXPECT_EQ(picker.pick(kAlice, everything(2), 10, rng).size(), 4u);
  EXPECT_FALSE(picker.in_endgame());
  EXPECT_TRUE(picker.pick(kBob, everything(2), 10, rng).empty());
}

TEST(PiecePickerTest, AChokedPeersRequestsGoBackToThePool) {
  PiecePicker picker = picker_with("22");
  picker.mark_have(PieceIndex(0));
  Rng rng(1);
  picker.pick(kAlice, everything(2), 3, rng);
  // Alice chokes us: BEP 3 says her pending requests are dropped, so Bob gets all four blocks.
  picker.drop_requests(kAlice);
  EXPECT_EQ(picker.pick(kBob, everything(2), 10, rng).size(), 4u);
  // Bob rejects block 2 (cancel_request): it is the only one Carol is asked for, outside endgame.
  picker.cancel_request(kBob, {PieceIndex(1), 2});
  EXPECT_EQ(picker.pick(kCarol, everything(2), 10, rng).front(), (BlockRef{PieceIndex(1), 2}));
}

TEST(PiecePickerTest, AFailedPieceIsFetchedAgainAndNamesItsSenders) {
  PiecePicker picker = picker_with("22");
  picker.mark_have(PieceIndex(0));
  Rng rng(1);
  picker.pick(kAlice, everything(2), 2, rng);
  picker.pick(kBob, everything(2), 2, rng);
  for (std::uint32_t b = 0; b < 4; ++b) picker.on_block(b < 2 ? kAlice : kBob, {PieceIndex(1), b});
  // The SHA-1 check fails: both senders are named, and the whole piece is asked for again.
  EXPECT_EQ(picker.piece_failed(PieceIndex(1)), (std::vector<ConnId>{kAlice, kBob}));
  EXPECT_FALSE(picker.have().has(PieceIndex(1)));
  EXPECT_EQ(picker.pick(kCarol, everything(2), 10, rng).size(), 4u);
}

TEST(PiecePickerTest, RefusesBlocksOfPiecesNotBeingDownloaded) {
  PiecePicker picker = picker_with("22");
  picker.mark_have(PieceIndex(0));
  EXPECT_EQ(picker.on_block(kAlice, {PieceIndex(1), 0}).verdict, BlockArrival::Verdict::Unexpected);
  EXPECT_EQ(picker.on_block(kAlice, {PieceIndex(0), 0}).verdict, BlockArrival::Verdict::Duplicate);
  EXPECT_EQ(picker.on_block(kAlice, {PieceIndex(7), 0}).verdict, BlockArrival::Verdict::Unexpected);
}

TEST(PiecePickerTest, AvailabilityFollowsBitfieldsHavesAndDepartures) {
  PiecePicker picker = picker_with("0000");
  picker.add_peer_pieces(pieces("1100"));
  picker.add_peer_pieces(pieces("0110"));
  picker.add_peer_piece(PieceIndex(3));
  EXPECT_EQ(std::vector<std::uint32_t>(picker.availability().begin(), picker.availability().end()),
            (std::vector<std::uint32_t>{1, 2, 1, 1}));
  picker.remove_peer_pieces(pieces("1100"));
  EXPECT_EQ(picker.availability(PieceIndex(0)), 0u);
  EXPECT_EQ(picker.availability(PieceIndex(1)), 1u);
}

TEST(PiecePickerTest, HandlesTheShortLastPieceOfATorrent) {
  // 2 pieces of 64 KiB holding 64 KiB + 20000 bytes: the last piece has 2 blocks, the second one short.
  PiecePicker picker(TorrentLayout(kPieceLength + 20000, kPieceLength));
  picker.add_peer_pieces(everything(2));
  picker.mark_have(PieceIndex(0));
  Rng rng(1);
  auto blocks = picker.pick(kAlice, everything(2), 10, rng);
  ASSERT_EQ(blocks.size(), 2u);
  picker.on_block(kAlice, blocks[0]);
  EXPECT_TRUE(picker.on_block(kAlice, blocks[1]).piece_complete);
  picker.mark_have(PieceIndex(1));
  EXPECT_TRUE(picker.complete());
  EXPECT_FALSE(picker.in_endgame());
}

}  // namespace
}  // namespace p2p::bittorrent
