// KRPC (BEP 5): the spec's example messages byte for byte, round trips, and a reason for each malformed
// input.
#include "bittorrent/dht/krpc.h"

#include <gtest/gtest.h>

namespace p2p::bittorrent::dht {
namespace {

const std::string kQuerier = "abcdefghij0123456789";
const std::string kQueried = "mnopqrstuvwxyz123456";

NodeId id_of(const std::string& raw) {
  return *NodeId::from_bytes(as_bytes(raw));
}

Expected<Message> decode_text(const std::string& text) {
  return decode_krpc(as_bytes(text));
}

std::string encode_text(const Message& message) {
  return std::string(as_chars(encode_krpc(message)));
}

// Each example of BEP 5, "DHT Queries" and "Errors", decodes to what the spec says it means and encodes back
// to the same bytes.
TEST(KrpcTest, DecodesAndReencodesTheSpecsExamples) {
  struct Example {
    std::string bencoded;
    Message meaning;
  };
  const std::vector<Example> examples{
      {"d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe",
       Message{"aa", Query{id_of(kQuerier), Ping{}}, ""}},
      {"d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re",
       Message{"aa", Response{id_of(kQueried), {}, {}, {}}, ""}},
      {"d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e1:q9:find_node1:t2:aa1:y1:qe",
       Message{"aa", Query{id_of(kQuerier), FindNode{id_of(kQueried)}}, ""}},
      {"d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz123456e1:q9:get_peers1:t2:aa1:y1:qe",
       Message{"aa", Query{id_of(kQuerier), GetPeers{id_of(kQueried)}}, ""}},
      {"d1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:"
       "token8:"
       "aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe",
       Message{"aa", Query{id_of(kQuerier), AnnouncePeer{id_of(kQueried), 6881, "aoeusnth", true}}, ""}},
      {"d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee",
       Message{"aa", ErrorReply{kGenericError, "A Generic Error Ocurred"}, ""}},
  };
  for (const Example& example : examples) {
    SCOPED_TRACE(example.bencoded);
    auto decoded = decode_text(example.bencoded);
    ASSERT_TRUE(decoded) << decoded.reason();
    EXPECT_EQ(*decoded, example.meaning);
    EXPECT_EQ(encode_text(example.meaning), example.bencoded);
  }
}

TEST(KrpcTest, GetPeersAnswersCarryPeersOrCloserNodesWithAToken) {
  // BEP 5's get_peers response with values: two compact peers ("axje.u" and "idhtnm" as 6-byte strings).
  auto with_peers = decode_text(
      "d1:rd2:id20:abcdefghij01234567895:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re");
  ASSERT_TRUE(with_peers) << with_peers.reason();
  const auto& peers = std::get<Response>(with_peers->body);
  EXPECT_EQ(peers.token, "aoeusnth");
  ASSERT_TRUE(peers.values);
  // "axje.u": 'a' 'x' 'j' 'e' is 97.120.106.101, ".u" is 0x2e75 = 11893.
  EXPECT_EQ(*peers.values, (std::vector<Endpoint>{{"97.120.106.101", 11893}, {"105.100.104.116", 28269}}));
  EXPECT_FALSE(peers.nodes);

  // The other form: no peers known, so the closest nodes instead.
  Response closer{id_of(kQuerier), std::vector<NodeInfo>{{id_of(kQueried), {"10.0.0.7", 6881}}}, {}, "tok"};
  auto round = decode_krpc(encode_krpc(Message{"zz", closer, ""}));
  ASSERT_TRUE(round) << round.reason();
  EXPECT_EQ(std::get<Response>(round->body), closer);
}

TEST(KrpcTest, RoundTripsEveryFieldIncludingTheVersion) {
  Response everything{
      id_of(kQueried),
      std::vector<NodeInfo>{{id_of(kQuerier), {"192.168.1.2", 1}}, {NodeId{}, {"10.1.2.3", 65535}}},
      std::vector<Endpoint>{{"1.2.3.4", 80}}, std::string("\x00\xff", 2)};
  const std::vector<Message> messages{
      Message{std::string("\x00\x01", 2), everything, "PL01"},
      Message{"t", Response{id_of(kQueried), std::vector<NodeInfo>{}, std::vector<Endpoint>{}, {}}, ""},
      Message{"t", Query{id_of(kQuerier), AnnouncePeer{id_of(kQueried), 0, "", true}}, ""},
      Message{"t", Query{id_of(kQuerier), AnnouncePeer{id_of(kQueried), 65535, "x", false}}, ""},
      Message{"t", Query{id_of(kQuerier), UnknownMethod{"vote"}}, ""},
      Message{"", ErrorReply{kMethodUnknown, "Method Unknown"}, ""},
  };
  for (const Message& message : messages) {
    auto decoded = decode_krpc(encode_krpc(message));
    ASSERT_TRUE(decoded) << decoded.reason();
    EXPECT_EQ(*decoded, message);
  }
}

TEST(KrpcTest, DecodesUnknownMethodsSoTheyCanBeAnsweredWith204) {
  auto vote = decode_text("d1:ad2:id20:abcdefghij01234567895:votesi3ee1:q4:vote1:t2:aa1:y1:qe");
  ASSERT_TRUE(vote) << vote.reason();
  EXPECT_EQ(method_name(std::get<Query>(vote->body).args), "vote");
}

TEST(KrpcTest, IgnoresKeysTheSpecDoesNotDefine) {
  // BEP 42's "ip" beside the response and BEP 43's "ro" beside the query, as other clients send them.
  auto response = decode_text("d2:ip6:axje.u1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re");
  ASSERT_TRUE(response) << response.reason();
  EXPECT_EQ(std::get<Response>(response->body).id, id_of(kQueried));
  auto query = decode_text("d1:ad2:id20:abcdefghij0123456789e1:q4:ping2:roi1e1:t2:aa1:y1:qe");
  ASSERT_TRUE(query) << query.reason();
}

TEST(KrpcTest, RefusesMalformedMessagesWithAReason) {
  const std::string id = "2:id20:" + kQuerier;
  struct Case {
    std::string bencoded;
    std::string reason;
  };
  const std::vector<Case> cases{
      {"d1:t2:aa", "krpc: bencode: "},  // truncated: the bencode decoder's own reason follows
      {"li1ee", "krpc: not a dictionary"},
      {"d1:y1:qe", "krpc: missing t"},
      {"d1:ti1e1:y1:qe", "krpc: t is not a string"},
      {"d1:t2:aae", "krpc: missing y"},
      {"d1:t2:aa1:y1:xe", "krpc: y is 'x', not q, r or e"},
      {"d1:t2:aa1:y1:qe", "krpc: missing q"},
      {"d1:t2:aa1:vi1e1:y1:qe", "krpc: v is not a string"},
      {"d1:q4:ping1:t2:aa1:y1:qe", "krpc: missing a"},
      {"d1:ali1ee1:q4:ping1:t2:aa1:y1:qe", "krpc: a is not a dictionary"},
      {"d1:ade1:q4:ping1:t2:aa1:y1:qe", "krpc: missing a.id"},
      {"d1:ad2:id19:abcdefghij012345678e1:q4:ping1:t2:aa1:y1:qe", "krpc: a.id: id of 19 bytes, not 20"},
      {"d1:ad" + id + "6:target3:abce1:q9:find_node1:t2:aa1:y1:qe", "krpc: a.target: id of 3 bytes, not 20"},
      {"d1:ad" + id + "e1:q9:get_peers1:t2:aa1:y1:qe", "krpc: missing a.info_hash"},
      {"d1:ad" + id + "9:info_hash20:" + kQueried + "4:porti0e5:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe",
       "krpc: a.port 0 out of range"},
      {"d1:ad" + id + "9:info_hash20:" + kQueried +
           "4:porti65536e5:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe",
       "krpc: a.port 65536 out of range"},
      {"d1:ad" + id + "9:info_hash20:" + kQueried + "4:porti1ee1:q13:announce_peer1:t2:aa1:y1:qe",
       "krpc: missing a.token"},
      {"d1:ad" + id + "12:implied_port1:19:info_hash20:" + kQueried +
           "4:porti1e5:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe",
       "krpc: a.implied_port is not an integer"},
      {"d1:t2:aa1:y1:re", "krpc: missing r"},
      {"d1:rd" + id + "5:nodes25:" + std::string(25, 'n') + "e1:t2:aa1:y1:re",
       "krpc: r.nodes: compact nodes of 25 bytes, not a multiple of 26"},
      {"d1:rd" + id + "5:nodesi1ee1:t2:aa1:y1:re", "krpc: r.nodes is not a string"},
      {"d1:rd" + id + "6:values6:axje.ue1:t2:aa1:y1:re", "krpc: r.values is not a list"},
      {"d1:rd" + id + "6:valuesl5:axje.ee1:t2:aa1:y1:re", "krpc: r.values: compact peer of 5 bytes, not 6"},
      {"d1:rd" + id + "6:valuesli1eee1:t2:aa1:y1:re", "krpc: r.values holds a non-string"},
      {"d1:rd" + id + "5:tokeni1ee1:t2:aa1:y1:re", "krpc: r.token is not a string"},
      {"d1:eli201ee1:t2:aa1:y1:ee", "krpc: e is not [code, message]"},
      {"d1:el3:abc3:abce1:t2:aa1:y1:ee", "krpc: e is not [code, message]"},
      {"d1:eli99999999999e1:xe1:t2:aa1:y1:ee", "krpc: error code 99999999999 out of range"},
      {"d1:rd" + id + "6:valuesll6:axje.ueee1:t2:aa1:y1:re", "krpc: bencode: nesting deeper than 3 levels"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.bencoded);
    auto decoded = decode_text(c.bencoded);
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.reason().substr(0, c.reason.size()), c.reason);
  }
}

TEST(KrpcTest, RefusesADatagramLargerThanUdpAllows) {
  std::string token(kMaxMessageBytes, 'x');
  std::string text =
      "d1:rd2:id20:" + kQueried + "5:token" + std::to_string(token.size()) + ":" + token + "e1:t2:aa1:y1:re";
  auto decoded = decode_text(text);
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.reason().substr(0, 15), "krpc: input of ");
}

TEST(KrpcTest, FindsTheTransactionOfAMalformedQueryToAnswerIt) {
  // A ping whose id is short: refused, but its transaction id can still carry a 203 back.
  std::string short_id = "d1:ad2:id3:abce1:q4:ping1:t2:zz1:y1:qe";
  ASSERT_FALSE(decode_text(short_id));
  EXPECT_EQ(malformed_query_transaction(as_bytes(short_id)), "zz");
  // Not for a malformed response or error (no error answers another node's error), nor for non-bencode.
  EXPECT_EQ(malformed_query_transaction(as_bytes("d1:rd2:id3:abce1:t2:zz1:y1:re")), std::nullopt);
  EXPECT_EQ(malformed_query_transaction(as_bytes("d1:eli201ee1:t2:zz1:y1:ee")), std::nullopt);
  EXPECT_EQ(malformed_query_transaction(as_bytes("d1:t2:zz1:y1:q")), std::nullopt);
  EXPECT_EQ(malformed_query_transaction(as_bytes("d1:ti7e1:y1:qe")), std::nullopt);
}

}  // namespace
}  // namespace p2p::bittorrent::dht
