// The servent core on a FakeRuntime: one port for handshakes and HTTP, pongs from the cache, queries and
// refusals, each step checked on the bytes the servent sends.
#include "gnutella/servent.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "common/content/content_bytes.h"
#include "gnutella/descriptor_framer.h"
#include "tests/support/fake_runtime.h"

namespace p2p::gnutella {
namespace {

using p2p::testing::FakeRuntime;

std::shared_ptr<const content::Catalogue> catalogue() {
  content::CatalogueConfig config;
  config.files = 20;
  config.min_size = 1000;
  config.max_size = 50'000;
  config.seed = 2;
  return std::make_shared<const content::Catalogue>(content::Catalogue::generate(config).value());
}

std::string text_of(const std::vector<Bytes>& sent) {
  std::string text;
  for (const Bytes& b : sent) text += std::string(as_chars(b));
  return text;
}

// Decodes every descriptor the servent sent on a link.
std::vector<Descriptor> descriptors(const std::vector<Bytes>& sent) {
  std::vector<Descriptor> out;
  for (const Bytes& b : sent) {
    auto d = decode_descriptor(b);
    if (d) out.push_back(std::move(d).value());
  }
  return out;
}

class ServentTest : public ::testing::Test {
 protected:
  ServentTest() : files_(catalogue()) {}

  void start(std::vector<std::size_t> shared = {}, std::size_t max_degree = 8) {
    ServentConfig config;
    config.catalogue = files_;
    config.shared = std::move(shared);
    config.overlay.max_degree = max_degree;
    servent_ = std::make_unique<Servent>(rt_, config);
    rt_.attach(*servent_);
    servent_->on_start();
  }

  // Feeds text as LineFramer cuts it: one CRLF line per frame.
  void feed_lines(ConnId conn, std::string_view text) {
    while (!text.empty()) {
      std::size_t end = text.find("\r\n");
      std::size_t size = end == std::string_view::npos ? text.size() : end + 2;
      servent_->on_frame(conn, as_bytes(text.substr(0, size)));
      text.remove_prefix(size);
    }
  }

  // A neighbour listening at `listen` links in: CONNECT, our 200, its confirmation.
  ConnId link_in(const Endpoint& listen) {
    ConnId conn = rt_.accept(*servent_, {listen.host, 0});
    feed_lines(conn, to_text(connect_request(servent_headers("peer/1.0", listen))));
    feed_lines(conn, "GNUTELLA/0.6 200 OK\r\n\r\n");
    return conn;
  }

  void send_descriptor(ConnId conn, const Guid& guid, std::uint8_t ttl, std::uint8_t hops,
                       const Payload& payload) {
    servent_->on_frame(conn, encode_descriptor(guid, ttl, hops, payload).value());
  }

  std::vector<std::string> event_names() const {
    std::vector<std::string> names;
    for (const auto& e : rt_.events) names.push_back(e.name);
    return names;
  }

  std::shared_ptr<const content::Catalogue> files_;
  FakeRuntime rt_{1, {"127.0.0.1", 6346}};
  std::unique_ptr<Servent> servent_;
};

TEST_F(ServentTest, AnInboundConnectIsAnsweredAndTheLinkThenCarriesDescriptors) {
  start();
  ConnId conn = rt_.accept(*servent_, {"10.0.0.7", 0});
  feed_lines(conn, to_text(connect_request(servent_headers("peer/1.0", Endpoint{"10.0.0.7", 7000}))));
  // The servent answers 200 with its own headers, and waits for the confirmation.
  std::string answer = text_of(rt_.take_sent(conn));
  EXPECT_TRUE(answer.starts_with("GNUTELLA/0.6 200 OK\r\n"));
  EXPECT_NE(answer.find("Listen-IP: 127.0.0.1:6346\r\n"), std::string::npos);
  EXPECT_TRUE(servent_->neighbours().empty());

  feed_lines(conn, "GNUTELLA/0.6 200 OK\r\n\r\n");
  // Now a neighbour: descriptors are cut by the DescriptorFramer, and the servent pings it at once.
  ASSERT_EQ(servent_->neighbours(), std::vector<Endpoint>{(Endpoint{"10.0.0.7", 7000})});
  EXPECT_NE(dynamic_cast<DescriptorFramer*>(rt_.framers[conn].get()), nullptr);
  auto sent = descriptors(rt_.take_sent(conn));
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].header.type, PayloadType::Ping);
  EXPECT_EQ(event_names().back(), "neighbour_up");
}

// A slowloris trickles its handshake: its CONNECT line arrives, its headers never end (LineFramer holds a
// line until its CRLF). Another connection says nothing at all. Both are closed at the handshake timeout.
TEST_F(ServentTest, AHandshakeNotDoneWithinTheTimeoutIsClosed) {
  start();
  const Duration timeout = ServentConfig{}.handshake_timeout;
  ConnId trickling = rt_.accept(*servent_, {"10.0.0.1", 0});
  feed_lines(trickling, "GNUTELLA CONNECT/0.6\r\n");
  ConnId silent = rt_.accept(*servent_, {"10.0.0.2", 0});
  ConnId linked = link_in({"10.0.0.3", 7000});
  rt_.advance(timeout - std::chrono::seconds(1));
  EXPECT_FALSE(rt_.closed.contains(trickling)) << "closed before the handshake timeout";
  rt_.advance(std::chrono::seconds(2));
  EXPECT_EQ(rt_.closed[trickling], "handshake timed out");
  EXPECT_EQ(rt_.closed[silent], "handshake timed out");
  EXPECT_FALSE(rt_.closed.contains(linked)) << "a neighbour is past its handshake";
}

TEST_F(ServentTest, AFullServentAnswers503NamingItsNeighbours) {
  start({}, /*max_degree=*/1);
  link_in({"10.0.0.7", 7000});
  ConnId late = rt_.accept(*servent_, {"10.0.0.8", 0});
  feed_lines(late, to_text(connect_request(servent_headers("peer/1.0", Endpoint{"10.0.0.8", 7000}))));
  std::string answer = text_of(rt_.take_sent(late));
  EXPECT_TRUE(answer.starts_with("GNUTELLA/0.6 503 Service Unavailable\r\n"));
  EXPECT_NE(answer.find("X-Try: 10.0.0.7:7000"), std::string::npos);
  EXPECT_EQ(rt_.closed[late], "refused: full with 1 neighbours");
}

TEST_F(ServentTest, APingIsAnsweredFromThePongCacheAndNeverForwarded) {
  start({1, 2});
  ConnId a = link_in({"10.0.0.1", 7000});
  ConnId b = link_in({"10.0.0.2", 7000});
  rt_.take_sent(a);
  // B answers the servent's ping with its own pong, which carries a GGEP block as newer servents' do (its
  // daily uptime), and one for a host it knows.
  auto ping_to_b = descriptors(rt_.take_sent(b));
  ASSERT_EQ(ping_to_b.size(), 1u);
  Guid ping = ping_to_b[0].header.guid;
  Bytes uptime{0xc3, 0x82, 'D', 'U', 0x42, 0x10, 0x0e};
  send_descriptor(b, ping, 1, 0, Pong{7000, Endpoint{"10.0.0.2", 0}.ipv4(), 5, 500, uptime});
  send_descriptor(b, ping, 1, 1, Pong{7000, Endpoint{"10.0.0.9", 0}.ipv4(), 3, 300});

  // A pings with TTL 7 (and a GGEP block asking for cached pongs): the servent answers with its own pong and
  // B's two, GGEP block and all, and sends B nothing.
  Guid from_a{};
  from_a.fill(0xa1);
  send_descriptor(a, from_a, 7, 0, Ping{Bytes{0xc3, 0x83, 'S', 'C', 'P', 0x40}});
  auto answers = descriptors(rt_.take_sent(a));
  ASSERT_EQ(answers.size(), 3u);
  for (const Descriptor& d : answers) {
    EXPECT_EQ(d.header.guid, from_a);
    EXPECT_EQ(d.header.ttl, 1);  // just enough to reach A
  }
  EXPECT_TRUE(std::ranges::any_of(
      answers, [&](const Descriptor& d) { return std::get<Pong>(d.payload).extensions == uptime; }));
  EXPECT_FALSE(rt_.closed.contains(a) || rt_.closed.contains(b));
  const Pong& own = std::get<Pong>(answers[0].payload);
  EXPECT_EQ(own.endpoint(), (Endpoint{"127.0.0.1", 6346}));
  EXPECT_EQ(own.files, 2u);
  EXPECT_TRUE(rt_.take_sent(b).empty());
  EXPECT_EQ(servent_->traffic().out(PayloadType::Ping), 2u);  // the two link-up pings, nothing forwarded

  // A handshake ping (TTL 1, hops 0) gets the servent's own pong only.
  Guid probe{};
  probe.fill(0xa2);
  send_descriptor(a, probe, 1, 0, Ping{});
  EXPECT_EQ(descriptors(rt_.take_sent(a)).size(), 1u);
}

TEST_F(ServentTest, AQueryIsForwardedAnsweredByReversePathAndReported) {
  start({4});
  ConnId a = link_in({"10.0.0.1", 7000});
  ConnId b = link_in({"10.0.0.2", 7000});
  rt_.take_sent(a);
  rt_.take_sent(b);
  const content::FileEntry& file = files_->file(4);
  Guid guid{};
  guid.fill(0x42);
  send_descriptor(a, guid, 3, 1,
                  Query{0, file.keywords[0] + " " + file.keywords[1] + " " + file.keywords[2], {}});

  // B gets the query with TTL 2 and hops 2; A, where it came from, gets the hit.
  auto to_b = descriptors(rt_.take_sent(b));
  ASSERT_EQ(to_b.size(), 1u);
  EXPECT_EQ(to_b[0].header.ttl, 2);
  EXPECT_EQ(to_b[0].header.hops, 2);
  auto to_a = descriptors(rt_.take_sent(a));
  ASSERT_EQ(to_a.size(), 1u);
  const auto& hit = std::get<QueryHit>(to_a[0].payload);
  EXPECT_EQ(to_a[0].header.guid, guid);
  EXPECT_EQ(to_a[0].header.ttl, 2);  // hops + 1: enough to get home
  ASSERT_EQ(hit.results.size(), 1u);
  EXPECT_EQ(hit.results[0].index, 4u);
  EXPECT_EQ(hit.results[0].name, file.name);
  EXPECT_EQ(hit.endpoint(), (Endpoint{"127.0.0.1", 6346}));

  // The same query again, round a loop, is a duplicate: dropped, counted, not reported twice.
  send_descriptor(b, guid, 2, 2, Query{0, file.keywords[0], {}});
  EXPECT_TRUE(rt_.take_sent(a).empty());
  EXPECT_EQ(servent_->traffic().dropped(DropReason::Duplicate), 1u);
  auto names = event_names();
  EXPECT_EQ(std::count(names.begin(), names.end(), "query_seen"), 1);
  const auto& seen = rt_.events.back();
  EXPECT_EQ(seen.data["hops"], 2);
  EXPECT_EQ(seen.data["forwarded"], 1);
  EXPECT_EQ(seen.data["results"], 1);
}

TEST_F(ServentTest, AGarbledDescriptorClosesTheLink) {
  start();
  ConnId a = link_in({"10.0.0.1", 7000});
  Bytes junk(kHeaderSize, 0);
  junk[16] = static_cast<std::uint8_t>(PayloadType::Pong);  // with no room for a Pong's 14 bytes
  servent_->on_frame(a, junk);
  EXPECT_TRUE(rt_.closed[a].starts_with("bad descriptor: "));
  rt_.pump();
  EXPECT_TRUE(servent_->neighbours().empty());
  EXPECT_EQ(servent_->traffic().to_json()["malformed"], 1);
}

TEST_F(ServentTest, ADescriptorOfAnUnknownTypeIsDroppedAndTheLinkStays) {
  start();
  ConnId a = link_in({"10.0.0.1", 7000});
  ConnId b = link_in({"10.0.0.2", 7000});
  rt_.take_sent(a);
  rt_.take_sent(b);
  // Type 0x31 with a 3-byte payload: some servent's extension, not a broken stream.
  Bytes extension(kHeaderSize + 3, 0);
  extension[16] = 0x31;
  extension[17] = 3;  // TTL
  extension[19] = 3;  // payload length
  servent_->on_frame(a, extension);

  // Dropped and counted, neither passed on nor answered, and the link stays up.
  EXPECT_FALSE(rt_.closed.contains(a));
  EXPECT_TRUE(rt_.take_sent(b).empty());
  EXPECT_TRUE(rt_.take_sent(a).empty());
  EXPECT_EQ(servent_->traffic().dropped(DropReason::UnknownType), 1u);
  EXPECT_EQ(servent_->traffic().to_json()["dropped"]["unknown_type"], 1);
  EXPECT_EQ(servent_->traffic().to_json()["malformed"], 0);
  EXPECT_EQ(servent_->neighbours().size(), 2u);
  // The next descriptor on that link is read as usual: a Ping is answered with a Pong.
  Guid guid{};
  guid.fill(0x07);
  send_descriptor(a, guid, 1, 0, Ping{});
  auto answer = descriptors(rt_.take_sent(a));
  ASSERT_EQ(answer.size(), 1u);
  EXPECT_EQ(answer[0].header.type, PayloadType::Pong);
}

TEST_F(ServentTest, AGetOfASharedFileIsServedWholeOnTheSamePort) {
  start({6});
  const content::FileEntry& file = files_->file(6);
  ConnId conn = rt_.accept(*servent_);
  feed_lines(conn, "GET /get/6/" + file.name + " HTTP/1.1\r\nUser-Agent: x\r\n\r\n");
  rt_.advance(milliseconds(100));  // the uplink window is topped up on a timer

  std::string reply = text_of(rt_.take_sent(conn));
  std::size_t body = reply.find("\r\n\r\n") + 4;
  ASSERT_TRUE(reply.starts_with("HTTP/1.1 200 OK\r\n"));
  EXPECT_NE(reply.find("Content-Length: " + std::to_string(file.size) + "\r\n"), std::string::npos);
  EXPECT_EQ(reply.size() - body, file.size);
  EXPECT_TRUE(content::matches_content(file, 0, as_bytes(std::string_view(reply).substr(body))));
  EXPECT_EQ(rt_.closed[conn], "upload complete");
}

TEST_F(ServentTest, GetsOutsideTheSharedFilesAreRefused) {
  start({6});
  auto answer_to = [&](const std::string& request) {
    ConnId conn = rt_.accept(*servent_);
    feed_lines(conn, request);
    std::string reply = text_of(rt_.take_sent(conn));
    return reply.substr(0, reply.find("\r\n"));
  };
  // Escaping out of the shared folder, in plain or %-encoded form.
  EXPECT_EQ(answer_to("GET /get/6/%2e%2e%2f%2e%2e%2fetc%2fpasswd HTTP/1.1\r\n\r\n"),
            "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(answer_to("GET /get/6/.. HTTP/1.1\r\n\r\n"), "HTTP/1.1 400 Bad Request");
  // A real catalogue file that this servent does not share, and a shared index under the wrong name.
  EXPECT_EQ(answer_to("GET /get/7/" + files_->file(7).name + " HTTP/1.1\r\n\r\n"), "HTTP/1.1 404 Not Found");
  EXPECT_EQ(answer_to("GET /get/6/" + files_->file(7).name + " HTTP/1.1\r\n\r\n"), "HTTP/1.1 404 Not Found");
  EXPECT_EQ(answer_to("GET /get/99999999999/x HTTP/1.1\r\n\r\n"), "HTTP/1.1 400 Bad Request");
  std::vector<std::string> kinds;
  for (const auto& e : rt_.events) {
    if (e.name == "upload_refused") kinds.push_back(e.data["kind"]);
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"unsafe_name", "unsafe_name", "not_shared", "not_shared",
                                             "bad_request"}));
}

}  // namespace
}  // namespace p2p::gnutella
