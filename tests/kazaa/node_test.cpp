// The KaZaA node around its roles, on a FakeRuntime: one port for sessions and HTTP, and the election that
// switches a --role auto node between ordinary and supernode, on the stats it is sent or, refused by every
// supernode, on its own.
#include "kazaa/node.h"

#include <gtest/gtest.h>

#include <set>

#include "common/content/content_bytes.h"
#include "common/http/file_requests.h"
#include "kazaa/port_framer.h"
#include "tests/kazaa/node_harness.h"

namespace p2p::kazaa {
namespace {

using testing::NodeHarness;
using testing::supernode_at;

// The test's supernode at supernode_at(1), `load_percent` full: it answers every login with an accept or,
// when full, a refusal, naming only itself, and every ping with a pong, its list and network stats counting
// `users` (a real one sends those every 2 s; the node pings as often).
class FakeSupernode {
 public:
  FakeSupernode(NodeHarness& h, std::uint8_t load_percent, std::uint32_t users)
      : h_(h), load_percent_(load_percent), users_(users) {}

  // Runs the node for `duration` in steps of 100 ms, answering everything it sends this supernode.
  void serve_for(Duration duration) {
    for (Duration t{0}; t < duration; t += milliseconds(100)) {
      h_.rt.advance(milliseconds(100));
      for (ConnId conn : h_.dials_to(supernode_at(1))) {
        if (!h_.open(conn)) continue;
        if (up_.insert(conn).second) h_.node().on_connected(conn, false, supernode_at(1));
        for (const Message& message : h_.take(conn)) answer(conn, message);
      }
    }
  }

 private:
  void answer(ConnId conn, const Message& message) {
    std::vector<SupernodeEntry> self{{supernode_at(1), load_percent_, 0}};
    if (const auto* ping = std::get_if<Ping>(&message)) {
      h_.feed(conn, Pong{ping->nonce, load_percent_});
      // With the pong, what a supernode's refresh sends (kazaa/supernode.cpp): its list and the stats.
      if (!h_.open(conn)) return;
      h_.feed(conn, SupernodeList{self});
      h_.feed(conn, NetworkStats{users_, 0, 0});
    } else if (std::holds_alternative<Login>(message)) {
      if (load_percent_ == kFullLoad) {
        h_.feed(conn, AttachRefuse{self});
      } else {
        h_.feed(conn, AttachAccept{self});
      }
    }
  }

  NodeHarness& h_;
  std::uint8_t load_percent_;
  std::uint32_t users_;
  std::set<ConnId> up_;
};

// An auto node shipped with supernode 1, eligible from the start (it would otherwise wait for 60 s of
// uptime) and uncapped: once it sees a shortage, it waits its settle time / 8, 2.5 to 5 s.
NodeConfig auto_node_knowing_one_supernode() {
  NodeConfig config;
  config.auto_role = true;
  config.election.min_uptime = seconds(0);
  config.ordinary.bootstrap = {{supernode_at(1), 0, 0}};
  return config;
}

std::vector<std::string> roles_announced(const NodeHarness& h) {
  std::vector<std::string> seen;
  for (const nlohmann::json& e : h.events("role"))
    seen.push_back(e["role"].get<std::string>() + "/" + e["reason"].get<std::string>());
  return seen;
}

TEST(PortFramerTest, TheFirstByteChoosesHttpLinesOrKazaaFrames) {
  PortFramer http;
  std::string get = "GET /.hash=00 HTTP/1.1\r\nHost: x\r\n";
  EXPECT_EQ(http.next(as_bytes(get)).value(), 24u);  // the request line, CRLF included
  EXPECT_TRUE(is_http(as_bytes(get)));

  PortFramer session;
  Bytes ping = encode(Ping{7});
  EXPECT_EQ(session.next(ping).value(), ping.size());
  EXPECT_FALSE(is_http(ping));
}

TEST(KazaaNodeTest, ServesASharedFileByItsHashOnTheSessionPort) {
  NodeConfig config;
  config.shared = {4};
  NodeHarness h(config);
  const content::FileEntry& file = h.node().files().catalogue().file(4);
  ConnId conn = h.rt.accept(h.node());
  std::string request = "GET " + http::hash_target(content::file_sha1(file)) + " HTTP/1.1\r\n";
  for (std::string line : {request, std::string("Host: 127.0.0.1\r\n"), std::string("\r\n")})
    h.node().on_frame(conn, as_bytes(line));
  h.rt.advance(milliseconds(100));
  std::string answer;
  for (const Bytes& b : h.rt.take_sent(conn)) answer += std::string(as_chars(b));
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 200")) << answer.substr(0, 80);
  EXPECT_GT(answer.size(), file.size);
}

// A slowloris trickles its Login a byte at a time: PortFramer holds the bytes, so the node sees no frame.
TEST(KazaaNodeTest, AnInboundConnectionWithNoWholeFirstFrameIsClosedAtTheTimeout) {
  NodeHarness h(NodeConfig{});
  const Duration timeout = NodeConfig{}.first_frame_timeout;
  ConnId trickling = h.rt.accept(h.node());
  h.rt.advance(timeout / 2);
  ConnId later = h.rt.accept(h.node());
  h.rt.advance(timeout / 2 - milliseconds(100));
  EXPECT_TRUE(h.open(trickling)) << "closed before its timeout";
  h.rt.advance(milliseconds(200));
  EXPECT_EQ(h.rt.closed[trickling], "first frame timeout");
  EXPECT_TRUE(h.open(later)) << "arrived half a timeout later";
}

TEST(KazaaNodeTest, AnAutoNodeThatKnowsNoSupernodePromotesOnceEligible) {
  NodeConfig config;
  config.auto_role = true;
  NodeHarness h(config);
  EXPECT_EQ(h.node().current_role(), Role::Ordinary);
  // Eligible from 60 s of uptime (ElectionConfig::min_uptime); uncapped, it then waits its settle time / 8
  // (20 s, drawn up to 40 s per node: 2.5 to 5 s), seen at the next observation (every 5 s).
  h.rt.advance(seconds(55));
  EXPECT_EQ(h.node().current_role(), Role::Ordinary);
  h.rt.advance(seconds(15));
  EXPECT_EQ(h.node().current_role(), Role::Super);
  EXPECT_EQ(roles_announced(h), (std::vector<std::string>{"ordinary/start", "super/promoted"}));
  EXPECT_EQ(h.node().role(), "ordinary");  // telemetry names the role as started
}

TEST(KazaaNodeTest, AnAutoNodeThatTheOnlySupernodeRefusesPromotesOnceStrandedAndSettled) {
  NodeHarness h(auto_node_knowing_one_supernode());
  // Supernode 1 is full: the node's first join ends refused within the first second, and stranded it tries
  // again every 2 s (AttachPolicyConfig::stranded_retry_after). Its view says one supernode and no users
  // (stats go to children only): no shortage by the numbers. Stranded, it sees one at the observation at
  // 5 s; once its settle time is over and a round begun after it has failed too, it steps up, at the
  // observation at 15 s.
  FakeSupernode full(h, kFullLoad, 50);
  full.serve_for(seconds(14));
  EXPECT_EQ(h.node().current_role(), Role::Ordinary);
  EXPECT_GE(h.dials_to(supernode_at(1)).size(), 6u) << "a list, a probe and a login in each of 3 rounds";
  full.serve_for(seconds(2));
  EXPECT_EQ(h.node().current_role(), Role::Super);
  EXPECT_EQ(roles_announced(h), (std::vector<std::string>{"ordinary/start", "super/promoted"}));
}

TEST(KazaaNodeTest, AnAutoNodeAttachedWhereThereIsNoShortageStaysOrdinary) {
  NodeHarness h(auto_node_knowing_one_supernode());
  // Supernode 1 takes it and counts 50 users in the network: within its 100 (children_per_super).
  FakeSupernode roomy(h, 50, 50);
  roomy.serve_for(seconds(1));
  ASSERT_EQ(h.node().ordinary()->supernode(), supernode_at(1));
  roomy.serve_for(seconds(120));
  EXPECT_EQ(h.node().ordinary()->supernode(), supernode_at(1));
  EXPECT_EQ(h.node().current_role(), Role::Ordinary);
  EXPECT_EQ(roles_announced(h), (std::vector<std::string>{"ordinary/start"}));
}

TEST(KazaaNodeTest, AnUnderloadedAutoSupernodeHandsItsChildOffAndAttachesElsewhere) {
  NodeConfig config;
  config.role = Role::Super;
  config.auto_role = true;
  config.super.bootstrap = {{supernode_at(2), 0, 0}};
  config.ordinary.bootstrap = {{supernode_at(2), 0, 0}};
  NodeHarness h(config);
  ConnId link = h.last_dial_to(supernode_at(2));
  h.node().on_connected(link, false, supernode_at(2));
  ConnId child = h.rt.accept(h.node(), {"127.0.0.5", 0});
  h.feed(child, Login{"kid", 6346, 100, 0, true, false});
  // One child of the 100 it aims at, and the other supernode, still heard from, could take it: once the
  // condition has held for its settle time (20 s, drawn up to 40 s per node), it demotes.
  for (int i = 0; i < 25 && h.node().current_role() == Role::Super; ++i) {
    h.rt.advance(seconds(2));
    h.feed(child, Ping{1});
    h.feed(link, SupernodeList{{{supernode_at(2), 0, 0}}});
  }
  ASSERT_EQ(h.node().current_role(), Role::Ordinary);
  auto handoffs = h.take_of<Handoff>(child);
  ASSERT_EQ(handoffs.size(), 1u);
  EXPECT_EQ(handoffs[0].alternatives.at(0).address, supernode_at(2));
  EXPECT_FALSE(h.open(child));
  ASSERT_EQ(h.events("child_left").size(), 1u);
  EXPECT_EQ(h.events("child_left")[0]["children"], 0);
  EXPECT_EQ(roles_announced(h), (std::vector<std::string>{"super/start", "ordinary/demoted"}));
  // As an ordinary node it asks a supernode it knows for a list.
  ConnId ask = h.last_dial_to(supernode_at(2));
  h.node().on_connected(ask, false, supernode_at(2));
  EXPECT_EQ(h.take_of<Login>(ask).size(), 1u);
}

}  // namespace
}  // namespace p2p::kazaa
