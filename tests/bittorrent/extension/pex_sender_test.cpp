// PexSender (BEP 11): the diff since the last message on a connection, one message a minute, 50 added and
// 50 dropped at most, the rest in the next messages.
#include "bittorrent/extension/pex_sender.h"

#include <gtest/gtest.h>

#include <string>

namespace p2p::bittorrent::extension {
namespace {

// Peer n listens on 10.0.<n / 256>.<n % 256>:6881.
Endpoint peer(int n) {
  return Endpoint{"10.0." + std::to_string(n / 256) + "." + std::to_string(n % 256), 6881};
}

// Peers first..last (inclusive), with no flags.
std::vector<PexPeer> peers(int first, int last) {
  std::vector<PexPeer> out;
  for (int n = first; n <= last; ++n) out.push_back(PexPeer{peer(n), 0});
  return out;
}

constexpr TimePoint kStart{};

// The remote every test's sender tells: peer 0.
Endpoint recipient() {
  return peer(0);
}

TEST(PexSenderTest, FirstMessageNamesEveryConnectedPeerButTheRecipient) {
  PexSender sender(recipient());
  std::vector<PexPeer> connected = peers(0, 3);
  connected[2].flags = kPexSeed;
  auto message = sender.next(connected, kStart);
  ASSERT_TRUE(message);
  EXPECT_EQ(message->added, (std::vector<PexPeer>{{peer(1), 0}, {peer(2), kPexSeed}, {peer(3), 0}}));
  EXPECT_TRUE(message->dropped.empty());
  EXPECT_EQ(sender.advertised().size(), 3u);
}

TEST(PexSenderTest, SendsAtMostOneMessageAMinute) {
  PexSender sender(recipient());
  ASSERT_TRUE(sender.next(peers(1, 2), kStart));
  // Peer 3 arrives 30 s later: too soon to say so.
  EXPECT_FALSE(sender.next(peers(1, 3), kStart + 30s));
  EXPECT_FALSE(sender.next(peers(1, 3), kStart + 59s));
  // A minute after the first message, the news goes out.
  auto message = sender.next(peers(1, 3), kStart + 60s);
  ASSERT_TRUE(message);
  EXPECT_EQ(message->added, (std::vector<PexPeer>{{peer(3), 0}}));
  // And the minute counts from that message.
  EXPECT_FALSE(sender.next(peers(1, 4), kStart + 119s));
  EXPECT_TRUE(sender.next(peers(1, 4), kStart + 120s));
}

TEST(PexSenderTest, SendsNothingWhenNothingChanged) {
  PexSender sender(recipient());
  EXPECT_FALSE(sender.next({}, kStart));  // no peers to tell about yet
  ASSERT_TRUE(sender.next(peers(1, 2), kStart + 1s));
  EXPECT_FALSE(sender.next(peers(1, 2), kStart + 5min));
  // Nothing was sent at 5 min, so a change at 5 min 1 s may go at once.
  EXPECT_TRUE(sender.next(peers(1, 3), kStart + 5min + 1s));
}

TEST(PexSenderTest, DropsOnlyWhatTheRemoteWasTold) {
  PexSender sender(recipient());
  ASSERT_TRUE(sender.next(peers(1, 3), kStart));
  // Peer 4 connects and leaves again between two messages; peer 2 leaves.
  ASSERT_FALSE(sender.next(peers(1, 4), kStart + 10s));
  std::vector<PexPeer> connected = {{peer(1), 0}, {peer(3), 0}, {peer(5), 0}};
  auto message = sender.next(connected, kStart + 60s);
  ASSERT_TRUE(message);
  EXPECT_EQ(message->added, (std::vector<PexPeer>{{peer(5), 0}}));
  EXPECT_EQ(message->dropped, (std::vector<Endpoint>{peer(2)}));
  EXPECT_EQ(sender.advertised().size(), 3u);
  EXPECT_FALSE(sender.advertised().contains(peer(2)));
}

TEST(PexSenderTest, CapsFiftyAddedAndFiftyDroppedAndSendsTheRestLater) {
  PexSender sender(recipient());
  // 120 peers connect: 50, 50 and 20, a minute apart.
  std::vector<std::size_t> added;
  for (int minute = 0; minute < 4; ++minute) {
    auto message = sender.next(peers(1, 120), kStart + minute * 60s);
    added.push_back(message ? message->added.size() : 0);
  }
  EXPECT_EQ(added, (std::vector<std::size_t>{50, 50, 20, 0}));
  EXPECT_EQ(sender.advertised().size(), 120u);

  // 110 of them leave while 60 new ones arrive: each message holds at most 50 of each.
  std::vector<PexPeer> now = peers(111, 180);
  std::vector<std::pair<std::size_t, std::size_t>> sizes;
  for (int minute = 4; minute < 8; ++minute) {
    auto message = sender.next(now, kStart + minute * 60s);
    sizes.emplace_back(message ? message->added.size() : 0, message ? message->dropped.size() : 0);
  }
  using Sizes = std::vector<std::pair<std::size_t, std::size_t>>;
  EXPECT_EQ(sizes, (Sizes{{50, 50}, {10, 50}, {0, 10}, {0, 0}}));
  EXPECT_EQ(sender.advertised().size(), 70u);
}

TEST(PexSenderTest, AShorterIntervalAndSmallerCapsCanBeConfigured) {
  PexSender sender(recipient(), PexSenderConfig{.interval = 5s, .max_added = 2, .max_dropped = 1});
  EXPECT_EQ(sender.next(peers(1, 3), kStart)->added.size(), 2u);
  EXPECT_FALSE(sender.next(peers(1, 3), kStart + 4s));
  EXPECT_EQ(sender.next(peers(1, 3), kStart + 5s)->added.size(), 1u);
  EXPECT_EQ(sender.next({}, kStart + 10s)->dropped.size(), 1u);
}

}  // namespace
}  // namespace p2p::bittorrent::extension
