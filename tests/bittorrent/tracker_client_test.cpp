// TrackerClient on a FakeRuntime: announce URLs, the GET it sends, answers, re-announces and retries.
#include "bittorrent/tracker_client.h"

#include <gtest/gtest.h>

#include "tests/support/fake_runtime.h"

namespace p2p::bittorrent {
namespace {

using p2p::testing::FakeRuntime;

TEST(AnnounceUrlTest, ReadsHostPortAndPathAndRefusesWhatItCannotReach) {
  auto url = parse_announce_url("http://127.0.0.1:6969/announce?passkey=1");
  ASSERT_TRUE(url) << url.reason();
  EXPECT_EQ(url->endpoint, (Endpoint{"127.0.0.1", 6969}));
  EXPECT_EQ(url->target, "/announce?passkey=1");
  EXPECT_EQ(parse_announce_url("http://localhost/announce")->endpoint, (Endpoint{"127.0.0.1", 80}));
  EXPECT_FALSE(parse_announce_url("udp://127.0.0.1:6969"));
  EXPECT_FALSE(parse_announce_url("http://tracker.example.org/announce"));
  EXPECT_FALSE(parse_announce_url("http://127.0.0.1:0/announce"));
}

class TrackerClientTest : public ::testing::Test {
 protected:
  TrackerClientTest() {
    TrackerClientConfig config;
    config.url = *parse_announce_url("http://127.0.0.1:6969/announce");
    config.port = 7000;
    client_.emplace(
        runtime_, config,
        [] {
          return TransferTotals{1, 2, 3};
        },
        [this](const std::vector<TrackerPeer>& peers) {
          learnt_.insert(learnt_.end(), peers.begin(), peers.end());
        });
  }

  // The connection of the newest announce, brought up; returns it and the request line it carried.
  std::pair<ConnId, std::string> connect_newest() {
    ConnId conn = runtime_.dialled.rbegin()->first;
    client_->on_connected(conn);
    std::string request;
    for (const Bytes& bytes : runtime_.take_sent(conn)) request += as_chars(bytes);
    return {conn, request.substr(0, request.find("\r\n"))};
  }

  FakeRuntime runtime_;
  std::optional<TrackerClient> client_;
  std::vector<TrackerPeer> learnt_;
};

TEST_F(TrackerClientTest, AnnouncesStartedThenAgainEveryInterval) {
  // The first announce says "started" and reports the transfer totals; the tracker answers with one peer and
  // a 30 s interval, after which a plain announce follows.
  client_->announce(AnnounceEvent::Started);
  auto [conn, line] = connect_newest();
  EXPECT_TRUE(line.starts_with("GET /announce?info_hash=")) << line;
  EXPECT_NE(line.find("&port=7000&uploaded=1&downloaded=2&left=3&event=started&compact=1"), std::string::npos)
      << line;
  std::string body(
      "d8:intervali30e5:peers6:\x7f\x00\x00\x02\x1a\xe1"
      "e",
      31);
  client_->on_frame(conn, as_bytes("HTTP/1.1 200 OK\r\nContent-Length: 31\r\n\r\n" + body));
  ASSERT_EQ(learnt_.size(), 1u);
  EXPECT_EQ(learnt_[0].endpoint(), (Endpoint{"127.0.0.2", 6881}));
  EXPECT_EQ(client_->interval(), std::chrono::seconds(30));

  std::size_t dialled = runtime_.dialled.size();
  runtime_.advance(std::chrono::seconds(29));
  EXPECT_EQ(runtime_.dialled.size(), dialled);
  runtime_.advance(std::chrono::seconds(1));
  ASSERT_EQ(runtime_.dialled.size(), dialled + 1);
  EXPECT_EQ(connect_newest().second.find("event="), std::string::npos);
}

TEST_F(TrackerClientTest, RetriesAFailedStartedAnnounceWithTheSameEvent) {
  // The tracker refuses the torrent; 15 s later the client says "started" again.
  client_->announce(AnnounceEvent::Started);
  auto [conn, line] = connect_newest();
  client_->on_frame(conn, as_bytes("HTTP/1.0 200 OK\r\n\r\nd14:failure reason7:go awaye"));
  client_->on_closed(conn, "closed by peer");
  EXPECT_EQ(client_->failures(), 1u);
  EXPECT_EQ(runtime_.events.back().name, "tracker_error");
  runtime_.advance(std::chrono::seconds(15));
  EXPECT_NE(connect_newest().second.find("event=started"), std::string::npos);
}

TEST_F(TrackerClientTest, StopSaysStoppedAndReportsWhenTheTrackerAnswered) {
  bool done = false;
  client_->stop([&] { done = true; });
  auto [conn, line] = connect_newest();
  EXPECT_NE(line.find("event=stopped"), std::string::npos);
  EXPECT_NE(line.find("numwant=0"), std::string::npos);
  client_->on_closed(conn, "connection reset by peer");
  EXPECT_TRUE(done);
}

}  // namespace
}  // namespace p2p::bittorrent
