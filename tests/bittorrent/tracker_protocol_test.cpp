// The tracker's HTTP protocol: request targets, bencoded answers, and heads read by Beast in any cut.
#include <gtest/gtest.h>

#include "bittorrent/bencode.h"
#include "bittorrent/http_message.h"
#include "bittorrent/tracker_request.h"
#include "bittorrent/tracker_response.h"
#include "common/util/encoding.h"

namespace p2p::bittorrent {
namespace {

// info_hash and peer_id as a client sends them: 20 bytes, %-escaped.
const std::string kHash = std::string(20, '\xab');
const std::string kPeer = "-PL0001-abcdefghijkl";

std::string announce_target(const std::string& extra) {
  return "/announce?info_hash=" + percent_encode(as_bytes(kHash)) +
         "&peer_id=" + percent_encode(as_bytes(kPeer)) + "&port=6881&uploaded=10&downloaded=20&left=30" +
         extra;
}

TEST(TrackerRequestTest, ParsesACompactAnnounceWithEveryField) {
  auto parsed = parse_tracker_target(announce_target("&event=started&compact=1&numwant=12&key=x"));
  ASSERT_TRUE(parsed) << parsed.reason();
  const auto& request = std::get<AnnounceRequest>(*parsed);
  EXPECT_EQ(std::string(as_chars(request.info_hash)), kHash);
  EXPECT_EQ(std::string(as_chars(request.peer_id)), kPeer);
  EXPECT_EQ(request.port, 6881);
  EXPECT_EQ(request.uploaded, 10u);
  EXPECT_EQ(request.downloaded, 20u);
  EXPECT_EQ(request.left, 30u);
  EXPECT_EQ(request.event, AnnounceEvent::Started);
  EXPECT_TRUE(request.compact);
  EXPECT_EQ(request.numwant, 12u);
}

TEST(TrackerRequestTest, DefaultsNumwantTo40AndClipsItTo200UnderAnyPathPrefix) {
  auto plain = parse_tracker_target(announce_target(""));
  ASSERT_TRUE(plain);
  EXPECT_EQ(std::get<AnnounceRequest>(*plain).numwant, 40u);
  auto greedy = parse_tracker_target("/tracker" + announce_target("&numwant=100000"));
  ASSERT_TRUE(greedy) << greedy.reason();
  EXPECT_EQ(std::get<AnnounceRequest>(*greedy).numwant, 200u);
}

TEST(TrackerRequestTest, RefusesMalformedAnnouncesNamingTheParameter) {
  EXPECT_NE(parse_tracker_target("/announce?info_hash=abc&peer_id=x&port=1").reason().find("info_hash"),
            std::string::npos);
  EXPECT_NE(parse_tracker_target(announce_target("&port=0")).reason().find("port"), std::string::npos);
  EXPECT_NE(parse_tracker_target(announce_target("&left=-1")).reason().find("left"), std::string::npos);
  EXPECT_NE(parse_tracker_target(announce_target("&event=exploded")).reason().find("event"),
            std::string::npos);
  EXPECT_NE(parse_tracker_target("/announce?port=1").reason().find("missing info_hash"), std::string::npos);
  EXPECT_NE(parse_tracker_target("/index.html").reason().find("unknown path"), std::string::npos);
  EXPECT_FALSE(parse_tracker_target("/announce?info_hash=%zz"));
}

TEST(TrackerRequestTest, ParsesScrapesOfSomeOrAllTorrents) {
  auto all = parse_tracker_target("/scrape");
  ASSERT_TRUE(all);
  EXPECT_TRUE(std::get<ScrapeRequest>(*all).info_hashes.empty());
  auto two = parse_tracker_target("/scrape?info_hash=" + percent_encode(as_bytes(kHash)) +
                                  "&info_hash=" + percent_encode(as_bytes(std::string(20, 'z'))));
  ASSERT_TRUE(two);
  EXPECT_EQ(std::get<ScrapeRequest>(*two).info_hashes.size(), 2u);
}

TEST(TrackerRequestTest, TheClientsQueryParsesBackToTheSameAnnounce) {
  AnnounceRequest request;
  std::ranges::copy(kHash, request.info_hash.begin());
  std::ranges::copy(kPeer, request.peer_id.begin());
  request.port = 51413;
  request.left = 1 << 20;
  request.event = AnnounceEvent::Completed;
  request.compact = true;
  request.numwant = 50;
  auto parsed = parse_tracker_target("/announce?" + announce_query(request));
  ASSERT_TRUE(parsed) << parsed.reason();
  const auto& back = std::get<AnnounceRequest>(*parsed);
  EXPECT_EQ(back.info_hash, request.info_hash);
  EXPECT_EQ(back.peer_id, request.peer_id);
  EXPECT_EQ(back.left, request.left);
  EXPECT_EQ(back.event, AnnounceEvent::Completed);
  EXPECT_EQ(back.numwant, 50u);
}

AnnounceResponse two_peers() {
  AnnounceResponse response;
  response.interval = 30;
  response.min_interval = 15;
  response.complete = 1;
  response.incomplete = 2;
  PeerId id{};
  id.fill('p');
  response.peers = {{0x7f000001, 6881, id}, {0x0a010203, 51413, id}};  // 127.0.0.1, 10.1.2.3
  return response;
}

TEST(TrackerResponseTest, CompactAndDictionaryAnswersReadBackTheSamePeers) {
  for (bool compact : {true, false}) {
    auto parsed = parse_announce_response(encode_announce_response(two_peers(), compact, true));
    ASSERT_TRUE(parsed) << parsed.reason();
    const auto& answer = std::get<AnnounceResponse>(*parsed);
    EXPECT_EQ(answer.interval, 30);
    EXPECT_EQ(answer.min_interval, 15);
    EXPECT_EQ(answer.complete, 1);
    EXPECT_EQ(answer.incomplete, 2);
    ASSERT_EQ(answer.peers.size(), 2u);
    EXPECT_EQ(answer.peers[1].endpoint(), (Endpoint{"10.1.2.3", 51413}));
    // Only the dictionary form carries peer ids.
    EXPECT_EQ(answer.peers[0].peer_id.has_value(), !compact);
  }
}

TEST(TrackerResponseTest, CompactPeersAreSixBytesEachInNetworkOrder) {
  Bytes body = encode_announce_response(two_peers(), true, false);
  auto decoded = decode(body);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded->find("peers")->if_string(),
            std::string("\x7f\x00\x00\x01\x1a\xe1\x0a\x01\x02\x03\xc8\xd5", 12));
}

TEST(TrackerResponseTest, ReadsAFailureReasonAndRefusesBrokenAnswers) {
  auto failure = parse_announce_response(encode_failure("unregistered torrent"));
  ASSERT_TRUE(failure);
  EXPECT_EQ(std::get<TrackerFailure>(*failure).reason, "unregistered torrent");
  EXPECT_FALSE(parse_announce_response(as_bytes("d8:intervali5e5:peers5:abcdee")));  // 5 bytes of peers
  EXPECT_FALSE(parse_announce_response(as_bytes("d5:peers0:e")));                    // no interval
  EXPECT_FALSE(parse_announce_response(as_bytes("<html>")));
}

TEST(HttpMessageTest, ARequestCutAtEveryByteReadsTheSame) {
  std::string text = "GET /announce?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: t\r\n\r\n";
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    HttpRequestReader reader;
    auto first = reader.feed(as_bytes(std::string_view(text).substr(0, cut)));
    ASSERT_TRUE(first) << cut;
    if (cut < text.size()) {
      ASSERT_FALSE(*first) << cut;
      first = reader.feed(as_bytes(std::string_view(text).substr(cut)));
    }
    ASSERT_TRUE(first && *first) << cut;
    EXPECT_EQ((*first)->method, "GET");
    EXPECT_EQ((*first)->target, "/announce?x=1");
  }
}

TEST(HttpMessageTest, RefusesGarbageAndRequestsWithABody) {
  EXPECT_FALSE(HttpRequestReader().feed(as_bytes("HELLO\r\n\r\n")));
  EXPECT_FALSE(HttpRequestReader().feed(as_bytes("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\n")));
  EXPECT_FALSE(
      HttpRequestReader().feed(as_bytes("GET / HTTP/1.1\r\nHost: " + std::string(9000, 'x') + "\r\n\r\n")));
}

TEST(HttpMessageTest, AResponseEndsByContentLengthOrByTheServerClosing) {
  HttpResponseReader sized;
  auto whole = sized.feed(as_bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"));
  ASSERT_TRUE(whole && *whole);
  EXPECT_EQ((*whole)->body, "hi");

  HttpResponseReader until_close;
  auto partial = until_close.feed(as_bytes("HTTP/1.0 200 OK\r\n\r\nd8:inter"));
  ASSERT_TRUE(partial);
  EXPECT_FALSE(*partial);
  auto closed = until_close.finish();
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->status, 200);
  EXPECT_EQ(closed->body, "d8:inter");

  EXPECT_FALSE(HttpResponseReader().finish());  // nothing arrived
}

}  // namespace
}  // namespace p2p::bittorrent
