// The KaZaA node around its roles, on a FakeRuntime: one port for sessions and HTTP, and the election that
// switches a --role auto node between ordinary and supernode.
#include "kazaa/node.h"

#include <gtest/gtest.h>

#include "common/content/content_bytes.h"
#include "common/http/file_requests.h"
#include "kazaa/port_framer.h"
#include "tests/kazaa/node_harness.h"

namespace p2p::kazaa {
namespace {

using testing::NodeHarness;
using testing::supernode_at;

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
