// The source on a FakeRuntime: redirects to a deputy, its join capacity, its few partners, the segments it
// serves, and bad frames refused and counted.
#include "coolstreaming/source.h"

#include <gtest/gtest.h>

#include "coolstreaming/stream_bytes.h"
#include "tests/coolstreaming/node_test_support.h"

namespace p2p::coolstreaming {
namespace {

using namespace testing;

const Endpoint kSourceAddress{"127.0.0.1", 9000};

struct SourceFixture {
  explicit SourceFixture(SourceConfig config = {}) : rt(1, kSourceAddress), source(rt, std::move(config)) {
    rt.attach(source);
    source.on_start();
  }
  // A newcomer on 10.0.0.N that listens on port 7000 + N asks to join.
  ConnId join(std::uint8_t n) {
    ConnId conn = rt.accept(source, Endpoint{"10.0.0." + std::to_string(n), 0});
    feed(source, conn,
         Join{.listen_port = static_cast<std::uint16_t>(7000 + n),
              .upload_kbps = 1000,
              .overlay = Overlay::Mesh,
              .role = Role::Peer,
              .attempt = 1});
    return conn;
  }
  // A peer on 10.0.0.N that listens on port 7000 + N asks to be a partner, advertising `upload_kbps`.
  ConnId ask_partner(std::uint8_t n, std::uint32_t upload_kbps) {
    ConnId conn = rt.accept(source, Endpoint{"10.0.0." + std::to_string(n), 0});
    feed(source, conn,
         PartnerRequest{.listen_port = static_cast<std::uint16_t>(7000 + n), .upload_kbps = upload_kbps});
    return conn;
  }
  FakeRuntime rt;
  Source source;
};

TEST(SourceTest, GivesItsFreeSlotsToUploadingNewcomersAndSendsTheOthersToAMemberAsDeputy) {
  SourceConfig config;
  config.max_partners = 1;
  SourceFixture f(config);
  f.rt.advance(std::chrono::milliseconds(2500));  // segments 0, 1 and 2 made
  auto first = only<JoinRedirect>(sent_messages(f.rt, f.join(1)));
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].deputy, kSourceAddress) << "a free slot: the source is the candidate";
  EXPECT_EQ(first[0].stream, (StreamInfo{.bitrate_kbps = 500, .segment_ms = 1000, .live_segment = 2}));
  f.ask_partner(1, 1000);

  // The slot is taken: the next newcomer is sent to the member the source knows.
  auto second = only<JoinRedirect>(sent_messages(f.rt, f.join(2)));
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].deputy, (Endpoint{"10.0.0.1", 7001}));
}

TEST(SourceTest, RefusesANonContributorAsAPartner) {
  SourceFixture f;
  ConnId rider = f.ask_partner(1, 0);
  EXPECT_EQ(only<PartnerRefuse>(sent_messages(f.rt, rider)).size(), 1u);
}

TEST(SourceTest, RefusesJoinsBeyondItsCapacityWithARetryAfterAndCountsThem) {
  SourceConfig config;
  config.joins.capacity = 2;
  config.joins.retry_after = std::chrono::seconds(3);
  SourceFixture f(config);
  EXPECT_EQ(only<JoinRedirect>(sent_messages(f.rt, f.join(1))).size(), 1u);
  EXPECT_EQ(only<JoinRedirect>(sent_messages(f.rt, f.join(2))).size(), 1u);
  auto refused = only<JoinRefused>(sent_messages(f.rt, f.join(3)));
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].retry_after_ms, 3000u);
  EXPECT_EQ(f.source.status()["refused_joins"], 1);

  f.rt.advance(std::chrono::seconds(1));  // a new second: room again
  EXPECT_EQ(only<JoinRedirect>(sent_messages(f.rt, f.join(4))).size(), 1u);
}

TEST(SourceTest, ServesOnlyAFewPartnersAndSendsThemItsBufferMap) {
  SourceConfig config;
  config.max_partners = 1;
  SourceFixture f(config);
  ConnId a = f.ask_partner(1, 1000);
  auto to_a = sent_messages(f.rt, a);
  ASSERT_EQ(only<PartnerAccept>(to_a).size(), 1u);
  auto maps = only<BufferMapMessage>(to_a);
  ASSERT_EQ(maps.size(), 1u);
  EXPECT_EQ(maps[0].bitmap[0] & 0x80, 0x80) << "segment 0 is made at start";

  ConnId b = f.ask_partner(2, 1000);
  EXPECT_EQ(only<PartnerRefuse>(sent_messages(f.rt, b)).size(), 1u);
  EXPECT_EQ(f.source.partners().established(), 1u);

  f.rt.advance(std::chrono::seconds(1));
  EXPECT_EQ(only<BufferMapMessage>(sent_messages(f.rt, a)).size(), 1u) << "a buffer map every period";
}

// Its slots are the overlay's way in, so they go to the peers that upload most: a full source lets a
// stronger newcomer take the weakest partner's slot, and sends a weaker one elsewhere.
TEST(SourceTest, AStrongerUploaderTakesTheSlotOfTheWeakestPartner) {
  SourceConfig config;
  config.max_partners = 2;
  SourceFixture f(config);
  ConnId adsl = f.ask_partner(1, 256);
  ConnId cable = f.ask_partner(2, 2000);

  auto redirect = only<JoinRedirect>(sent_messages(f.rt, f.join(3)));  // joins with 1,000 kbit/s up
  ASSERT_EQ(redirect.size(), 1u);
  EXPECT_EQ(redirect[0].deputy, kSourceAddress) << "it uploads more than the adsl partner";

  ConnId fibre = f.ask_partner(3, 1000);
  EXPECT_EQ(only<PartnerAccept>(sent_messages(f.rt, fibre)).size(), 1u);
  EXPECT_TRUE(f.rt.closed.contains(adsl)) << "the weakest partner made room";
  EXPECT_FALSE(f.rt.closed.contains(cable));
  EXPECT_EQ(f.source.partners().established(), 2u);

  ConnId weaker = f.ask_partner(4, 500);
  EXPECT_EQ(only<PartnerRefuse>(sent_messages(f.rt, weaker)).size(), 1u);
  EXPECT_FALSE(f.rt.closed.contains(fibre));
}

TEST(SourceTest, SendsTheRequestedSegmentsItHoldsAndSaysWhichItDoesNot) {
  SourceConfig config;
  config.bitrate_kbps = 64;
  SourceFixture f(config);
  f.rt.advance(std::chrono::milliseconds(1500));  // segments 0 and 1
  ConnId a = f.ask_partner(1, 1000);
  f.rt.take_sent(a);
  feed(f.source, a, SegmentRequestMessage{.segments = {1, 7}});
  auto answer = sent_messages(f.rt, a);
  auto segments = only<Segment>(answer);
  ASSERT_EQ(segments.size(), 1u);
  EXPECT_EQ(segments[0].segment, 1u);
  EXPECT_EQ(segments[0].payload, synthetic_segment(1, segment_size(64, 1000)));
  auto unavailable = only<SegmentUnavailable>(answer);
  ASSERT_EQ(unavailable.size(), 1u);
  EXPECT_EQ(unavailable[0].segments, std::vector<std::uint32_t>{7});
  EXPECT_EQ(f.source.status()["video_bytes_sent"], segment_size(64, 1000));
}

TEST(SourceTest, ServesAnInputsBytesAndEndsTheStreamWhereTheInputEnds) {
  SourceConfig config;
  config.payload = [](SegmentId segment, std::size_t) { return segment < 2 ? Bytes(3, segment) : Bytes{}; };
  SourceFixture f(config);
  f.rt.advance(std::chrono::seconds(5));
  EXPECT_EQ(f.source.store().newest(), 1u);
  ASSERT_NE(f.source.store().payload(1), nullptr);
  EXPECT_EQ(*f.source.store().payload(1), Bytes(3, 1));
}

TEST(SourceTest, ClosesAndCountsABadFrameAndAMessageOutOfPlace) {
  SourceFixture f;
  ConnId bad = f.rt.accept(f.source);
  f.source.on_frame(bad, Bytes{0x01, 0, 0, 0, 1, 0});  // a Join body one byte long
  EXPECT_TRUE(f.rt.closed.contains(bad));
  ConnId stray = f.rt.accept(f.source);
  feed(f.source, stray, Segment{.segment = 3, .payload = Bytes{1}});
  EXPECT_TRUE(f.rt.closed.contains(stray));
  f.source.on_closed(f.rt.accept(f.source), "framing error: unknown type 0x7f");
  EXPECT_EQ(f.source.rejected(), 3u);
  auto rejected = events_named(f.rt, "rejected");
  ASSERT_EQ(rejected.size(), 3u);
  EXPECT_EQ(rejected[0].data["kind"], "message");
  EXPECT_EQ(rejected[1].data["kind"], "unexpected");
  EXPECT_EQ(rejected[2].data["kind"], "frame");
}

// A slowloris trickles its Join a byte at a time: the framer holds the bytes, so the source sees no message.
TEST(SourceTest, ClosesAConnectionThatSendsNoWholeFirstMessageWithinTheHelloTimeout) {
  SourceFixture f;
  const Duration timeout = SourceConfig{}.hello_timeout;
  ConnId slow = f.rt.accept(f.source, Endpoint{"10.0.0.1", 0});
  f.rt.advance(timeout / 2);
  ConnId partner = f.ask_partner(2, 1000);
  ConnId later = f.rt.accept(f.source, Endpoint{"10.0.0.3", 0});
  f.rt.advance(timeout / 2 - std::chrono::seconds(1));
  EXPECT_FALSE(f.rt.closed.contains(slow)) << "closed before its hello timeout";
  f.rt.advance(std::chrono::seconds(2));
  ASSERT_TRUE(f.rt.closed.contains(slow));
  EXPECT_EQ(f.rt.closed[slow], "hello timeout");
  EXPECT_FALSE(f.rt.closed.contains(partner)) << "a partner is past its hello";
  EXPECT_FALSE(f.rt.closed.contains(later)) << "arrived half a timeout later";
}

}  // namespace
}  // namespace p2p::coolstreaming
