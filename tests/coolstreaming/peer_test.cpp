// The peer on a FakeRuntime: joining through a deputy, buffer maps both ways, a missing segment asked of
// the partner that has it, serving a partner, a refused join retried and counted, bad frames refused.
#include "coolstreaming/peer.h"

#include <gtest/gtest.h>

#include "tests/coolstreaming/node_test_support.h"

namespace p2p::coolstreaming {
namespace {

using namespace testing;

const Endpoint kSelf{"127.0.0.1", 7000};
const Endpoint kSource{"127.0.0.1", 9000};
const Endpoint kDeputy{"10.0.0.1", 7001};
const Endpoint kAlice{"10.0.0.2", 7002};
const StreamInfo kStream{.bitrate_kbps = 64, .segment_ms = 1000, .live_segment = 20};

struct PeerFixture {
  explicit PeerFixture(PeerConfig config = base_config()) : rt(1, kSelf), peer(rt, std::move(config)) {
    rt.attach(peer);
    peer.on_start();
  }
  static PeerConfig base_config() {
    PeerConfig config;
    config.source = kSource;
    config.window = 40;
    config.startup = std::chrono::seconds(3);
    return config;
  }
  // The current connection to the rendezvous: connected, and the Join it sent.
  Join join_sent(ConnId conn) {
    peer.on_connected(conn, false, rt.dialled.at(conn));
    auto joins = only<Join>(sent_messages(rt, conn));
    EXPECT_EQ(joins.size(), 1u);
    return joins.empty() ? Join{} : joins[0];
  }
  // Joins through kDeputy, which offers kAlice; kAlice accepts. Returns the connection to kAlice.
  ConnId join_with_alice() {
    ConnId rendezvous = dialled_to(rt, kSource);
    join_sent(rendezvous);
    feed(peer, rendezvous, JoinRedirect{.stream = kStream, .deputy = kDeputy, .assist = {}});
    ConnId deputy = dialled_to(rt, kDeputy);
    join_sent(deputy);
    feed(peer, deputy, Candidates{.members = {{.address = kAlice, .num_partner = 2}}});
    ConnId alice = dialled_to(rt, kAlice);
    peer.on_connected(alice, false, kAlice);
    feed(peer, alice, PartnerAccept{.upload_kbps = 2000});
    return alice;
  }
  FakeRuntime rt;
  Peer peer;
};

// A partner's buffer map holding segments [from, to] of a window starting at `start`.
BufferMapMessage map_holding(SegmentId start, SegmentId from, SegmentId to) {
  BufferMap map(40, start);
  for (SegmentId s = from; s <= to; ++s) map.set(s);
  return BufferMapMessage{
      .window_start = start, .window_length = 40, .uploading = true, .bitmap = map.packed()};
}

TEST(PeerTest, JoinsThroughTheRendezvousAndADeputyAndPartnersWithACandidate) {
  PeerFixture f;
  ConnId rendezvous = dialled_to(f.rt, kSource);
  ASSERT_NE(rendezvous, ConnId{});
  Join join = f.join_sent(rendezvous);
  EXPECT_EQ(join.listen_port, kSelf.port);
  EXPECT_EQ(join.attempt, 1);

  feed(f.peer, rendezvous, JoinRedirect{.stream = kStream, .deputy = kDeputy, .assist = {}});
  EXPECT_TRUE(f.rt.closed.contains(rendezvous));
  ConnId deputy = dialled_to(f.rt, kDeputy);
  ASSERT_NE(deputy, ConnId{});
  f.join_sent(deputy);
  feed(f.peer, deputy, Candidates{.members = {{.address = kAlice, .num_partner = 2}}});
  EXPECT_TRUE(f.rt.closed.contains(deputy));

  ConnId alice = dialled_to(f.rt, kAlice);
  ASSERT_NE(alice, ConnId{});
  f.peer.on_connected(alice, false, kAlice);
  auto requests = only<PartnerRequest>(sent_messages(f.rt, alice));
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].listen_port, kSelf.port);
  EXPECT_TRUE(events_named(f.rt, "joined").empty());

  feed(f.peer, alice, PartnerAccept{.upload_kbps = 2000});
  EXPECT_EQ(f.peer.partners().established(), 1u);
  auto joined = events_named(f.rt, "joined");
  ASSERT_EQ(joined.size(), 1u);
  EXPECT_EQ(joined[0].data["attempts"], 1);
  EXPECT_EQ(joined[0].data["overlay"], "mesh");
  EXPECT_EQ(events_named(f.rt, "partner_up").at(0).data["partner"], kAlice.str());
}

// A partner costs a share of the uplink, so a line that can feed more whole streams than the accept limit
// accepts that many: 640 kbit/s up feeds ten of kStream's 64 kbit/s.
TEST(PeerTest, AcceptsAsManyPartnersAsItsUploadCanFeedOnceItKnowsTheBitrate) {
  PeerConfig config = PeerFixture::base_config();
  config.partnership.target = 1;
  config.partnership.limit = 2;
  config.upload_kbps = 640;
  PeerFixture f(config);
  f.join_with_alice();
  std::size_t accepted = 1;  // kAlice
  for (std::uint8_t n = 10; n < 30; ++n) {
    ConnId asker = f.rt.accept(f.peer, Endpoint{"10.0.1." + std::to_string(n), 0});
    feed(f.peer, asker, PartnerRequest{.listen_port = 7000, .upload_kbps = 1000});
    accepted += only<PartnerAccept>(sent_messages(f.rt, asker)).size();
  }
  EXPECT_EQ(accepted, 10u);
  EXPECT_EQ(f.peer.partners().established(), 10u);
}

TEST(PeerTest, ExchangesBufferMapsWithItsPartnerEveryPeriod) {
  PeerFixture f;
  ConnId alice = f.join_with_alice();
  EXPECT_EQ(only<BufferMapMessage>(sent_messages(f.rt, alice)).size(), 1u)
      << "a map as the partnership starts";
  feed(f.peer, alice, map_holding(0, 10, 20));
  const Partner* partner = f.peer.partners().find(alice);
  ASSERT_TRUE(partner->map.has_value());
  EXPECT_TRUE(partner->map->has(20));
  EXPECT_FALSE(partner->map->has(9));

  f.rt.advance(std::chrono::seconds(3));
  EXPECT_EQ(only<BufferMapMessage>(sent_messages(f.rt, alice)).size(), 3u);
  EXPECT_EQ(f.peer.status()["partners"][0]["window_start"], 0);
}

TEST(PeerTest, RequestsMissingSegmentsFromThePartnerThatHasThemAndPlaysThem) {
  PeerFixture f;
  ConnId alice = f.join_with_alice();
  feed(f.peer, alice, map_holding(0, 10, 20));  // the player starts 3 segments behind the newest: at 18
  ASSERT_TRUE(f.peer.player().has_value());
  EXPECT_EQ(f.peer.player()->play_point(), 18u);
  f.rt.take_sent(alice);

  f.rt.advance(std::chrono::seconds(1));
  auto requests = only<SegmentRequestMessage>(sent_messages(f.rt, alice));
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].segments, (std::vector<std::uint32_t>{18, 19, 20}));

  for (SegmentId s : {18u, 19u, 20u}) feed(f.peer, alice, Segment{.segment = s, .payload = Bytes(8, s)});
  EXPECT_TRUE(f.peer.store().map().has(20));
  EXPECT_TRUE(f.peer.player()->playing());
  EXPECT_EQ(events_named(f.rt, "playing").size(), 1u);
  EXPECT_EQ(f.peer.received().video, 24u);
  f.rt.advance(std::chrono::milliseconds(100));
  EXPECT_EQ(f.peer.player()->on_time_count(), 1u);

  f.rt.advance(std::chrono::seconds(1));
  auto again = only<SegmentRequestMessage>(sent_messages(f.rt, alice));
  EXPECT_TRUE(again.empty()) << "nothing is asked twice, and alice holds nothing newer";
}

TEST(PeerTest, ServesAPartnersRequestFromItsBufferAndRefusesWhatItLacks) {
  PeerFixture f;
  ConnId alice = f.join_with_alice();
  feed(f.peer, alice, map_holding(0, 10, 20));
  feed(f.peer, alice, Segment{.segment = 19, .payload = Bytes{1, 2, 3}});
  f.rt.take_sent(alice);
  feed(f.peer, alice, SegmentRequestMessage{.segments = {19, 25}});
  auto answer = sent_messages(f.rt, alice);
  auto segments = only<Segment>(answer);
  ASSERT_EQ(segments.size(), 1u);
  EXPECT_EQ(segments[0], (Segment{.segment = 19, .payload = Bytes{1, 2, 3}}));
  EXPECT_EQ(only<SegmentUnavailable>(answer).at(0).segments, std::vector<std::uint32_t>{25});
}

// A hostile partner asking for one segment again and again gets it once a period, not 64 KiB a request.
TEST(PeerTest, ASegmentAskedForAgainByThePartnerItWasSentToIsDroppedAndCounted) {
  PeerFixture f;
  ConnId alice = f.join_with_alice();
  feed(f.peer, alice, map_holding(0, 10, 20));
  feed(f.peer, alice, Segment{.segment = 19, .payload = Bytes{1, 2, 3}});
  f.rt.take_sent(alice);
  for (int i = 0; i < 50; ++i) feed(f.peer, alice, SegmentRequestMessage{.segments = {19}});
  auto answer = sent_messages(f.rt, alice);
  EXPECT_EQ(only<Segment>(answer).size(), 1u);
  EXPECT_TRUE(only<SegmentUnavailable>(answer).empty()) << "a duplicate is dropped unanswered";
  EXPECT_EQ(f.peer.status()["requests_duplicate"], 49);
  // An honest partner whose request timed out asks again later, and is served again.
  f.rt.advance(std::chrono::seconds(4));
  f.rt.take_sent(alice);
  feed(f.peer, alice, SegmentRequestMessage{.segments = {19}});
  EXPECT_EQ(only<Segment>(sent_messages(f.rt, alice)).size(), 1u);
}

TEST(PeerTest, ANonContributorSaysSoAndServesNothing) {
  PeerConfig config = PeerFixture::base_config();
  config.upload = false;
  PeerFixture f(config);
  ConnId alice = f.join_with_alice();
  feed(f.peer, alice, map_holding(0, 10, 20));
  feed(f.peer, alice, Segment{.segment = 19, .payload = Bytes{1}});
  f.rt.take_sent(alice);
  feed(f.peer, alice, SegmentRequestMessage{.segments = {19}});
  auto answer = sent_messages(f.rt, alice);
  EXPECT_TRUE(only<Segment>(answer).empty());
  EXPECT_EQ(only<SegmentUnavailable>(answer).size(), 1u);
  f.rt.advance(std::chrono::seconds(1));
  EXPECT_FALSE(only<BufferMapMessage>(sent_messages(f.rt, alice)).at(0).uploading);
}

TEST(PeerTest, RetriesARefusedJoinAfterTheRetryAfterAndCountsTheAttempts) {
  PeerFixture f;
  ConnId first = dialled_to(f.rt, kSource);
  f.join_sent(first);
  feed(f.peer, first, JoinRefused{.retry_after_ms = 2000});
  EXPECT_TRUE(f.rt.closed.contains(first));
  auto refused = events_named(f.rt, "join_refused");
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].data["by"], kSource.str());
  EXPECT_EQ(refused[0].data["attempt"], 1);
  EXPECT_EQ(refused[0].data["retry_after_ms"], 2000);

  f.rt.advance(std::chrono::milliseconds(1900));
  EXPECT_EQ(dialled_to(f.rt, kSource), first) << "not before the retry-after";
  f.rt.advance(std::chrono::seconds(2));  // the retry-after plus at most half of it as jitter
  ConnId second = dialled_to(f.rt, kSource);
  ASSERT_NE(second, first);
  EXPECT_EQ(f.join_sent(second).attempt, 2);
  EXPECT_EQ(f.peer.join_attempts(), 2u);
  EXPECT_EQ(f.peer.status()["join_attempts"], 2);
}

TEST(PeerTest, AsADeputyHandsOutItselfAndItsViewAndRefusesBeyondItsCapacity) {
  PeerConfig config = PeerFixture::base_config();
  config.joins.capacity = 1;
  PeerFixture f(config);
  f.join_with_alice();
  ConnId newcomer = f.rt.accept(f.peer, Endpoint{"10.0.0.9", 0});
  feed(f.peer, newcomer,
       Join{.listen_port = 7009,
            .upload_kbps = 1000,
            .overlay = Overlay::Mesh,
            .role = Role::Peer,
            .attempt = 1});
  auto candidates = only<Candidates>(sent_messages(f.rt, newcomer));
  ASSERT_EQ(candidates.size(), 1u);
  ASSERT_GE(candidates[0].members.size(), 2u);
  EXPECT_EQ(candidates[0].members[0].address, kSelf);
  EXPECT_EQ(candidates[0].members[1].address, kAlice);
  EXPECT_NE(f.peer.gossip().view().find(Endpoint{"10.0.0.9", 7009}), nullptr) << "the newcomer subscribed";

  ConnId another = f.rt.accept(f.peer, Endpoint{"10.0.0.10", 0});
  feed(f.peer, another,
       Join{.listen_port = 7010,
            .upload_kbps = 1000,
            .overlay = Overlay::Mesh,
            .role = Role::Peer,
            .attempt = 1});
  EXPECT_EQ(only<JoinRefused>(sent_messages(f.rt, another)).size(), 1u);
}

TEST(PeerTest, ATimedOutPartnerIsDroppedAndForgotten) {
  PeerFixture f;
  ConnId alice = f.join_with_alice();
  feed(f.peer, alice, map_holding(0, 10, 20));
  ASSERT_NE(f.peer.gossip().view().find(kAlice), nullptr);
  f.rt.advance(std::chrono::seconds(12));  // then alice says nothing
  EXPECT_TRUE(f.rt.closed.contains(alice));
  auto down = events_named(f.rt, "partner_down");
  ASSERT_EQ(down.size(), 1u);
  EXPECT_EQ(down[0].data["reason"], "timeout");
  EXPECT_EQ(f.peer.gossip().view().find(kAlice), nullptr);
}

// A slowloris trickles its PartnerRequest a byte at a time: the framer holds the bytes, so the peer sees no
// message.
TEST(PeerTest, ClosesAnInboundConnectionThatSendsNoWholeFirstMessageWithinTheHelloTimeout) {
  PeerFixture f;
  const Duration timeout = PeerConfig{}.hello_timeout;
  ConnId slow = f.rt.accept(f.peer, Endpoint{"10.0.0.1", 0});
  f.rt.advance(timeout / 2);
  ConnId later = f.rt.accept(f.peer, Endpoint{"10.0.0.2", 0});
  f.rt.advance(timeout / 2 - std::chrono::seconds(1));
  EXPECT_FALSE(f.rt.closed.contains(slow)) << "closed before its hello timeout";
  f.rt.advance(std::chrono::seconds(2));
  ASSERT_TRUE(f.rt.closed.contains(slow));
  EXPECT_EQ(f.rt.closed[slow], "hello timeout");
  EXPECT_FALSE(f.rt.closed.contains(later)) << "arrived half a timeout later";
}

TEST(PeerTest, PartnersThatHoldNothingAreLeftAndTheJoinTriedAgain) {
  PeerFixture f;
  ConnId alice = f.join_with_alice();
  f.rt.advance(std::chrono::seconds(13));  // alice sends no map: it holds nothing the peer knows of
  EXPECT_TRUE(f.rt.closed.contains(alice));
  EXPECT_EQ(events_named(f.rt, "partner_down").at(0).data["reason"], "refined");
  EXPECT_EQ(f.peer.join_attempts(), 2u);
}

TEST(PeerTest, RefusesAndCountsBadFramesAndMessagesOutOfPlace) {
  PeerFixture f;
  ConnId alice = f.join_with_alice();
  f.peer.on_frame(alice, Bytes{0x30, 0, 0, 0, 2, 0, 0});  // a buffer map cut short
  EXPECT_TRUE(f.rt.closed.contains(alice));
  ConnId stranger = f.rt.accept(f.peer);
  feed(f.peer, stranger, Segment{.segment = 1, .payload = Bytes{1}});
  EXPECT_TRUE(f.rt.closed.contains(stranger));
  f.peer.on_closed(f.rt.accept(f.peer), "framing error: a frame of 2000000 bytes");
  EXPECT_EQ(f.peer.rejected(), 3u);
  auto rejected = events_named(f.rt, "rejected");
  ASSERT_EQ(rejected.size(), 3u);
  EXPECT_EQ(rejected[0].data["kind"], "message");
  EXPECT_EQ(rejected[2].data["kind"], "frame");
}

TEST(PeerTest, InTheTreeAttachesUnderItsParentAndForwardsEverySegmentToItsChildren) {
  PeerConfig config = PeerFixture::base_config();
  config.overlay = Overlay::Tree;
  PeerFixture f(config);
  ConnId rendezvous = dialled_to(f.rt, kSource);
  EXPECT_EQ(f.join_sent(rendezvous).overlay, Overlay::Tree);
  feed(f.peer, rendezvous, TreeParent{.stream = kStream, .parent = kDeputy});
  ConnId parent = dialled_to(f.rt, kDeputy);
  f.peer.on_connected(parent, false, kDeputy);
  EXPECT_EQ(only<TreeAttach>(sent_messages(f.rt, parent)).size(), 1u);
  feed(f.peer, parent, PartnerAccept{.upload_kbps = 2000});
  EXPECT_EQ(events_named(f.rt, "parent_changed").at(0).data["parent"], kDeputy.str());
  EXPECT_EQ(events_named(f.rt, "joined").at(0).data["overlay"], "tree");

  // 1000 kbps of upload carries 15 copies of a 64 kbps stream: a child is taken.
  ConnId child = f.rt.accept(f.peer, Endpoint{"10.0.0.9", 0});
  feed(f.peer, child, TreeAttach{.listen_port = 7009});
  EXPECT_EQ(only<PartnerAccept>(sent_messages(f.rt, child)).size(), 1u);
  feed(f.peer, parent, Segment{.segment = 21, .payload = Bytes{7}});
  EXPECT_TRUE(f.peer.store().map().has(21));
  EXPECT_EQ(only<Segment>(sent_messages(f.rt, child)).at(0), (Segment{.segment = 21, .payload = Bytes{7}}));
  EXPECT_EQ(f.peer.status()["children"], 1);

  // The parent goes: the peer is an orphan and joins the rendezvous again.
  f.peer.on_closed(parent, "connection reset");
  EXPECT_TRUE(events_named(f.rt, "parent_changed").at(1).data["parent"].is_null());
  f.rt.advance(std::chrono::seconds(2));
  EXPECT_NE(dialled_to(f.rt, kSource), rendezvous);
}

}  // namespace
}  // namespace p2p::coolstreaming
