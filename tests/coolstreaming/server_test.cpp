// The assist server on a FakeRuntime: it announces itself to the source, keeps what the source pushes, and
// serves any peer that asks.
#include "coolstreaming/server.h"

#include <gtest/gtest.h>

#include "tests/coolstreaming/node_test_support.h"

namespace p2p::coolstreaming {
namespace {

using namespace testing;

const Endpoint kSource{"127.0.0.1", 9000};

TEST(ServerTest, JoinsTheSourceAsTheServerKeepsItsSegmentsAndServesAnyPeer) {
  FakeRuntime rt(1, {"127.0.0.1", 9100});
  Server server(rt, ServerConfig{.source = kSource, .window = 8});
  rt.attach(server);
  server.on_start();
  ConnId source = dialled_to(rt, kSource);
  server.on_connected(source, false, kSource);
  auto joins = only<Join>(sent_messages(rt, source));
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_EQ(joins[0].role, Role::Server);
  EXPECT_EQ(joins[0].listen_port, 9100);

  for (SegmentId s = 0; s < 10; ++s)
    feed(server, source, Segment{.segment = s, .payload = Bytes{static_cast<std::uint8_t>(s)}});
  EXPECT_EQ(server.store().map().start(), 2u) << "the window slides with the feed";
  EXPECT_TRUE(server.store().map().has(9));

  ConnId peer = rt.accept(server, Endpoint{"10.0.0.1", 0});
  feed(server, peer, PartnerRequest{.listen_port = 7001, .upload_kbps = 0});
  auto welcome = sent_messages(rt, peer);
  EXPECT_EQ(only<PartnerAccept>(welcome).size(), 1u);
  EXPECT_EQ(only<BufferMapMessage>(welcome).size(), 1u);
  feed(server, peer, SegmentRequestMessage{.segments = {9, 1}});
  auto answer = sent_messages(rt, peer);
  EXPECT_EQ(only<Segment>(answer).at(0), (Segment{.segment = 9, .payload = Bytes{9}}));
  EXPECT_EQ(only<SegmentUnavailable>(answer).at(0).segments, std::vector<std::uint32_t>{1});
  EXPECT_EQ(server.status()["video_bytes_sent"], 1);
  EXPECT_EQ(server.status()["partners"], 1);
}

TEST(ServerTest, RefusesAndCountsAMessageOutOfPlace) {
  FakeRuntime rt(1, {"127.0.0.1", 9100});
  Server server(rt, ServerConfig{.source = kSource, .window = 8});
  rt.attach(server);
  server.on_start();
  ConnId stranger = rt.accept(server, Endpoint{"10.0.0.1", 0});
  feed(server, stranger, SegmentRequestMessage{.segments = {1}});
  EXPECT_TRUE(rt.closed.contains(stranger));
  EXPECT_EQ(events_named(rt, "rejected").size(), 1u);
}

}  // namespace
}  // namespace p2p::coolstreaming
