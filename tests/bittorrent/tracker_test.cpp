// Tracker core on a FakeRuntime: announces answered over HTTP, refusals, expiry and telemetry.
#include "bittorrent/tracker.h"

#include <gtest/gtest.h>

#include "bittorrent/bencode.h"
#include "common/util/encoding.h"
#include "tests/support/fake_runtime.h"

namespace p2p::bittorrent {
namespace {

using p2p::testing::FakeRuntime;

const Sha1Digest kTorrent = [] {
  Sha1Digest d{};
  d.fill(9);
  return d;
}();

// An announce as BitTorrent clients send it, asking the tracker to close when done; `connection` "" leaves
// HTTP/1.1's default, a persistent connection.
std::string get(std::uint16_t port, const Sha1Digest& hash = kTorrent, std::string extra = "&compact=1",
                std::string connection = "Connection: close\r\n") {
  return "GET /announce?info_hash=" + percent_encode(hash) +
         "&peer_id=-PL0001-000000000000&port=" + std::to_string(port) + "&uploaded=0&downloaded=0&left=5" +
         extra + " HTTP/1.1\r\nHost: t\r\n" + connection + "\r\n";
}

class TrackerTest : public ::testing::Test {
 protected:
  TrackerTest() {
    config_.interval = std::chrono::seconds(30);
    config_.min_interval = std::chrono::seconds(10);
    config_.registry.peer_timeout = std::chrono::seconds(45);
    config_.torrents = {kTorrent};
    tracker_ = std::make_unique<Tracker>(runtime_, config_);
    runtime_.attach(*tracker_);
    tracker_->on_start();
  }

  // Sends `request` from a peer at `address` on a new connection and returns the whole reply (status line,
  // headers, body); `conn` is set to the connection.
  std::string ask(const std::string& request, const std::string& address = "127.0.0.5") {
    ConnId conn = runtime_.accept(*tracker_, Endpoint{address, 0});
    return ask_on(conn, request);
  }
  std::string ask_on(ConnId conn, const std::string& request) {
    last_conn_ = conn;
    tracker_->on_frame(conn, as_bytes(request));
    runtime_.advance(Duration{0});
    std::string reply;
    for (const Bytes& bytes : runtime_.take_sent(conn)) reply += as_chars(bytes);
    return reply;
  }
  static Value body_of(const std::string& reply) {
    auto body = decode(as_bytes(reply.substr(reply.find("\r\n\r\n") + 4)));
    EXPECT_TRUE(body) << reply;
    return body ? *body : Value();
  }

  FakeRuntime runtime_;
  ConnId last_conn_{};
  TrackerConfig config_;
  std::unique_ptr<Tracker> tracker_;
};

TEST_F(TrackerTest, AnswersAnnouncesWithTheIntervalsAndTheOtherPeersCompact) {
  // Two peers announce from different addresses; the second hears of the first, as 6 compact bytes.
  ask(get(6881), "127.0.0.5");
  std::string reply = ask(get(6882), "127.0.0.6");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 200 OK\r\n")) << reply;
  EXPECT_NE(reply.find("Connection: close"), std::string::npos);
  EXPECT_EQ(runtime_.closed[last_conn_], "request served");
  Value body = body_of(reply);
  EXPECT_EQ(*body.find("interval")->if_int(), 30);
  EXPECT_EQ(*body.find("min interval")->if_int(), 10);
  EXPECT_EQ(*body.find("incomplete")->if_int(), 2);
  EXPECT_EQ(*body.find("peers")->if_string(), std::string("\x7f\x00\x00\x05\x1a\xe1", 6));
}

TEST_F(TrackerTest, KeepsAPersistentConnectionForTheNextRequests) {
  // HTTP/1.1 without "Connection: close": the answer says keep-alive and the connection stays open for a
  // second request, then for two pipelined in one segment, answered in order.
  std::string first = ask(get(6881, kTorrent, "&compact=1", ""));
  ConnId conn = last_conn_;
  EXPECT_NE(first.find("Connection: keep-alive"), std::string::npos) << first;
  EXPECT_FALSE(runtime_.closed.contains(conn));
  std::string second = ask_on(conn, get(6881, kTorrent, "&compact=1", ""));
  EXPECT_TRUE(second.starts_with("HTTP/1.1 200 OK\r\n")) << second;
  std::string pipelined = ask_on(conn, get(6881, kTorrent, "&compact=1&event=completed", "") + get(6881));
  EXPECT_EQ(pipelined.find("HTTP/1.1 200 OK"), 0u) << pipelined;
  EXPECT_NE(pipelined.find("HTTP/1.1 200 OK", 1), std::string::npos) << pipelined;
  EXPECT_EQ(runtime_.closed[conn], "request served") << "the last one asked to close";
  EXPECT_EQ(tracker_->status()["announces"], 4);
}

TEST_F(TrackerTest, ClosesHttp10RequestsAndIdlePersistentConnections) {
  std::string old = get(6881, kTorrent, "&compact=1", "");
  old.replace(old.find("HTTP/1.1"), 8, "HTTP/1.0");
  EXPECT_NE(ask(old).find("Connection: close"), std::string::npos);
  EXPECT_TRUE(runtime_.closed.contains(last_conn_));
  ask(get(6882, kTorrent, "&compact=1", ""));
  runtime_.advance(std::chrono::seconds(9));
  EXPECT_FALSE(runtime_.closed.contains(last_conn_));
  runtime_.advance(std::chrono::seconds(2));
  EXPECT_EQ(runtime_.closed[last_conn_], "request timeout");
}

TEST_F(TrackerTest, GivesDictionaryPeersWhenCompactIsNotAsked) {
  ask(get(6881), "127.0.0.5");
  Value body = body_of(ask(get(6882, kTorrent, ""), "127.0.0.6"));
  const List* peers = body.find("peers")->if_list();
  ASSERT_TRUE(peers != nullptr && peers->size() == 1);
  EXPECT_EQ(*(*peers)[0].find("ip")->if_string(), "127.0.0.5");
  EXPECT_EQ(*(*peers)[0].find("port")->if_int(), 6881);
  EXPECT_EQ(*(*peers)[0].find("peer id")->if_string(), "-PL0001-000000000000");
}

TEST_F(TrackerTest, AnUnknownTorrentGetsAFailureReason) {
  Sha1Digest other{};
  std::string reply = ask(get(6881, other));
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 200")) << reply;
  EXPECT_EQ(*body_of(reply).find("failure reason")->if_string(), "unregistered torrent");
}

TEST_F(TrackerTest, AMalformedRequestGets400WithTheReason) {
  std::string reply = ask("GET /announce?port=1 HTTP/1.1\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 400 Bad Request")) << reply;
  EXPECT_EQ(runtime_.closed[last_conn_], "bad request") << "even on a persistent connection";
  EXPECT_NE(body_of(reply).find("failure reason")->if_string()->find("info_hash"), std::string::npos);
  EXPECT_TRUE(ask("BREW /coffee HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 400"));
  EXPECT_TRUE(ask("\x13"
                  "BitTorrent protocol")
                  .starts_with("HTTP/1.1 400"));
  EXPECT_EQ(tracker_->status()["bad_requests"], 3);
}

TEST_F(TrackerTest, PeersThatStopAnnouncingAreForgottenAndScrapeCountsTheRest) {
  // A peer that announced once is dropped 45 s later; one that keeps announcing stays.
  ask(get(6881), "127.0.0.5");
  runtime_.advance(std::chrono::seconds(30));
  ask(get(6882), "127.0.0.6");
  runtime_.advance(std::chrono::seconds(30));
  EXPECT_EQ(tracker_->registry().peers(), 1u);
  Value scrape = body_of(ask("GET /scrape HTTP/1.1\r\n\r\n"));
  const Value* counts = scrape.find("files")->find(std::string(as_chars(kTorrent)));
  ASSERT_NE(counts, nullptr);
  EXPECT_EQ(*counts->find("incomplete")->if_int(), 1);
}

TEST_F(TrackerTest, StatusReportsPeersSeedsAndAnnounceRate) {
  ask(get(6881), "127.0.0.5");
  ask(get(6882, kTorrent, "&compact=1&left=0"), "127.0.0.6");  // a seed: nothing left
  auto status = tracker_->status();
  EXPECT_EQ(status["peers"], 2);
  EXPECT_EQ(status["seeds"], 1);
  EXPECT_EQ(status["announces"], 2);
  EXPECT_GT(status["announces_per_s"].get<double>(), 0);
  EXPECT_EQ(status["swarms"][0]["info_hash"], to_hex(kTorrent));
}

TEST_F(TrackerTest, AConnectionThatNeverFinishesItsRequestIsClosed) {
  ConnId conn = runtime_.accept(*tracker_);
  tracker_->on_frame(conn, as_bytes("GET /announce"));
  runtime_.advance(std::chrono::seconds(11));
  EXPECT_EQ(runtime_.closed[conn], "request timeout");
}

}  // namespace
}  // namespace p2p::bittorrent
