// SuperSeeder (BEP 16): each peer is offered one piece at a time, the least offered first, and its next one
// once another peer announces the one it was offered.
#include "bittorrent/super_seeder.h"

#include <gtest/gtest.h>

#include <set>

namespace p2p::bittorrent {
namespace {

TEST(SuperSeederTest, OffersEveryPieceOnceBeforeAnyTwice) {
  // 8 pieces and 8 empty peers: the first 8 offers are 8 different pieces; the 9th repeats one.
  SuperSeeder seeder(8);
  Rng rng(1);
  PieceSet empty(8);
  std::set<std::uint32_t> offered;
  for (std::uint64_t peer = 1; peer <= 8; ++peer) {
    auto piece = seeder.offer(ConnId(peer), empty, rng);
    ASSERT_TRUE(piece);
    offered.insert(piece->value);
  }
  EXPECT_EQ(offered.size(), 8u);
  ASSERT_TRUE(seeder.offer(ConnId(9), empty, rng));
}

TEST(SuperSeederTest, NeverOffersAPieceThePeerHas) {
  SuperSeeder seeder(4);
  Rng rng(1);
  PieceSet has(4);
  for (std::uint32_t i : {0u, 1u, 3u}) has.insert(PieceIndex(i));
  for (int round = 0; round < 5; ++round) EXPECT_EQ(seeder.offer(ConnId(1), has, rng), PieceIndex(2));
  has.insert(PieceIndex(2));
  EXPECT_FALSE(seeder.offer(ConnId(1), has, rng));  // a complete peer is offered nothing
  EXPECT_FALSE(seeder.offered(ConnId(1)));
}

TEST(SuperSeederTest, APeerIsDueItsNextPieceWhenItHoldsItsOffer) {
  SuperSeeder seeder(4);
  Rng rng(1);
  PieceSet has(4);
  EXPECT_TRUE(seeder.due(ConnId(1), has));  // a newcomer, offered nothing yet
  PieceIndex first = *seeder.offer(ConnId(1), has, rng);
  EXPECT_FALSE(seeder.due(ConnId(1), has));
  has.insert(PieceIndex((first.value + 1) % 4));  // a piece it got from someone else
  EXPECT_FALSE(seeder.due(ConnId(1), has));
  has.insert(first);
  EXPECT_TRUE(seeder.due(ConnId(1), has));
  auto next = seeder.offer(ConnId(1), has, rng);
  ASSERT_TRUE(next);
  EXPECT_NE(*next, first);
  seeder.forget(ConnId(1));
  EXPECT_FALSE(seeder.offered(ConnId(1)));
}

TEST(SuperSeederTest, APeerIsDueItsNextPieceWhenAnotherAnnouncesItsOffer) {
  SuperSeeder seeder(4);
  Rng rng(1);
  PieceSet empty(4);
  PieceIndex first = *seeder.offer(ConnId(1), empty, rng);
  PieceIndex second = *seeder.offer(ConnId(2), empty, rng);
  EXPECT_TRUE(seeder.announced(ConnId(1), first).empty());  // its own have says nothing of passing it on
  EXPECT_TRUE(seeder.announced(ConnId(3), second) == std::vector<ConnId>{ConnId(2)});
  EXPECT_TRUE(seeder.announced(ConnId(2), first) == std::vector<ConnId>{ConnId(1)});
  seeder.forget(ConnId(1));
  EXPECT_TRUE(seeder.announced(ConnId(2), first).empty());
  EXPECT_FALSE(seeder.offered(ConnId(1)));
}

}  // namespace
}  // namespace p2p::bittorrent
