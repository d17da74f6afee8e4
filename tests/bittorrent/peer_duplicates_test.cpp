// Peer core on a FakeRuntime: two peers that dial each other at once keep one connection, the same one at
// both ends, and a peer that dialled us is not dialled back.
#include <gtest/gtest.h>

#include <algorithm>
#include <ranges>

#include "bittorrent/extension_wire.h"
#include "tests/bittorrent/peer_fixture.h"

namespace p2p::bittorrent {
namespace {

const Endpoint kRemote{"127.0.0.9", 6881};

class PeerDuplicatesTest : public PeerTest {
 protected:
  // Starts an empty peer told of kRemote, which it dials at once.
  ConnId start_dialling() {
    config_.peers = {kRemote};
    start(false);
    for (const auto& [conn, to] : runtime_.dialled) {
      if (to == kRemote) return conn;
    }
    ADD_FAILURE() << "kRemote was not dialled";
    return ConnId{};
  }
  // Our dialled connection comes up and kRemote, whose id is `id` repeated, answers our handshake.
  void answer(ConnId conn, std::uint8_t id) {
    peer_->on_connected(conn, false, kRemote);
    PeerId remote{};
    remote.fill(id);
    peer_->on_frame(conn, encode_handshake(Handshake{{}, metainfo_->info_hash, remote}));
  }
};

TEST_F(PeerDuplicatesTest, WhenTheRemoteHasTheLargerIdTheConnectionItDialledStays) {
  ConnId ours = start_dialling();
  ConnId theirs = connect(std::nullopt, static_cast<char>(0xff));  // kRemote dials us at the same moment
  answer(ours, 0xff);
  EXPECT_EQ(closed(ours), "duplicate connection");
  EXPECT_EQ(closed(theirs), "");
}

TEST_F(PeerDuplicatesTest, WhenWeHaveTheLargerIdTheConnectionWeDialledStays) {
  ConnId ours = start_dialling();
  ConnId theirs = connect(std::nullopt, static_cast<char>(0x00));
  answer(ours, 0x00);
  EXPECT_EQ(closed(theirs), "duplicate connection");
  EXPECT_EQ(closed(ours), "");
}

TEST_F(PeerDuplicatesTest, TwoInboundConnectionsFromOnePeerKeepTheOlder) {
  start(false);
  ConnId first = connect(std::nullopt, 'r');
  ConnId second = connect(std::nullopt, 'r');
  EXPECT_EQ(closed(second), "duplicate connection");
  EXPECT_EQ(closed(first), "");
}

TEST_F(PeerDuplicatesTest, APeerThatDialledUsAndGaveItsPortIsNotDialledBack) {
  config_.redial_after = std::chrono::seconds(1);
  ConnId ours = start_dialling();
  peer_->on_closed(ours, "connection refused");      // kRemote is not up yet...
  ConnId theirs = connect(std::nullopt, 'r', true);  // ...then dials us, and says where it listens
  extension::ExtensionHandshake handshake;
  handshake.p = kRemote.port;
  send(theirs, Extended{extension::kHandshakeId, extension::encode_extension_handshake(handshake)});
  runtime_.advance(std::chrono::seconds(30));  // past redial_after, through several maintenance rounds
  EXPECT_EQ(std::ranges::count(runtime_.dialled | std::views::values, kRemote), 1);
}

}  // namespace
}  // namespace p2p::bittorrent
