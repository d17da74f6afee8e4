// The Gnutella 0.6 handshake: the three steps on the wire, a full servent's 503 with X-Try, and strict
// rejects.
#include "gnutella/handshake.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/net/framer.h"

namespace p2p::gnutella {
namespace {

using namespace std::string_literals;

// Feeds `text` to `parser` the way a connection does: cut into CRLF lines by a LineFramer. Returns every
// message completed, and the first error, if any.
struct Fed {
  std::vector<HandshakeMessage> messages;
  std::string error;
};
Fed feed_lines(HandshakeParser& parser, std::string_view text) {
  Fed fed;
  FrameAssembler assembler(std::make_unique<LineFramer>(kMaxHandshakeLine));
  assembler.append(as_bytes(text));
  Status cut = assembler.drain([&](ByteView line) {
    auto result = parser.feed(line);
    if (!result) {
      fed.error = result.reason();
      return false;
    }
    if (result->has_value()) fed.messages.push_back(std::move(**result));
    return true;
  });
  if (!cut) fed.error = cut.reason();
  return fed;
}

std::string rejection(std::string_view text) {
  auto parsed = parse_handshake(text);
  return parsed.ok() ? std::string("accepted") : parsed.reason();
}

TEST(HandshakeTest, ConnectRequestIsTheDraftsTextExactly) {
  HandshakeMessage request = connect_request(servent_headers("p2plab/0.1", Endpoint{"127.0.0.1", 6346}));
  EXPECT_EQ(to_text(request),
            "GNUTELLA CONNECT/0.6\r\n"
            "User-Agent: p2plab/0.1\r\n"
            "X-Ultrapeer: False\r\n"
            "Listen-IP: 127.0.0.1:6346\r\n"
            "\r\n");
}

TEST(HandshakeTest, ThreeStepsParseLineByLine) {
  // Step 1, the client's request, arrives on the server one line at a time.
  HandshakeParser server;
  Fed step1 = feed_lines(server, to_text(connect_request(servent_headers("p2plab/0.1", std::nullopt))));
  ASSERT_EQ(step1.error, "");
  ASSERT_EQ(step1.messages.size(), 1u);
  EXPECT_EQ(step1.messages[0].kind, HandshakeKind::Connect);
  EXPECT_EQ(step1.messages[0].header("User-Agent"), "p2plab/0.1");

  // Step 2, the server's 200 OK, on the client.
  HandshakeParser client;
  Fed step2 =
      feed_lines(client, to_text(ok_response(servent_headers("other/2.0", Endpoint{"10.0.0.9", 7000}))));
  ASSERT_EQ(step2.messages.size(), 1u);
  EXPECT_TRUE(step2.messages[0].accepted());
  EXPECT_EQ(step2.messages[0].reason, "OK");
  EXPECT_EQ(listen_address(step2.messages[0]), (Endpoint{"10.0.0.9", 7000}));

  // Step 3, the client's confirmation without headers, then the first descriptor bytes, which are not the
  // parser's business: the servent swaps to the DescriptorFramer as soon as the blank line is read.
  Fed step3 = feed_lines(server, "GNUTELLA/0.6 200 OK\r\n\r\n");
  ASSERT_EQ(step3.messages.size(), 1u);
  EXPECT_TRUE(step3.messages[0].accepted());
  EXPECT_TRUE(step3.messages[0].headers.empty());
}

TEST(HandshakeTest, HeaderNamesAreCaseInsensitiveAndFoldedLinesJoin) {
  auto parsed = parse_handshake(
      "GNUTELLA CONNECT/0.6\r\n"
      "user-agent:   LimeWire/4.8  \r\n"
      "X-TRY: 1.2.3.4:6346,\r\n"
      "\t5.6.7.8:6347\r\n"
      "\r\n");
  ASSERT_TRUE(parsed.ok()) << parsed.reason();
  EXPECT_EQ(parsed->header("User-Agent"), "LimeWire/4.8");
  EXPECT_EQ(parsed->header("x-try"), "1.2.3.4:6346, 5.6.7.8:6347");
  EXPECT_EQ(parsed->header("Missing"), std::nullopt);
}

TEST(HandshakeTest, FullServentAnswers503WithHostsToTry) {
  std::vector<Endpoint> others{{"127.0.0.1", 7001}, {"127.0.0.1", 7002}, {"10.1.2.3", 6346}};
  std::string text = to_text(busy_response(others, servent_headers("p2plab/0.1", std::nullopt)));
  EXPECT_NE(text.find("GNUTELLA/0.6 503 Service Unavailable\r\n"), std::string::npos);
  EXPECT_NE(text.find("X-Try: 127.0.0.1:7001, 127.0.0.1:7002, 10.1.2.3:6346\r\n"), std::string::npos);

  // The client reads the refusal and learns the hosts.
  auto parsed = parse_handshake(text);
  ASSERT_TRUE(parsed.ok()) << parsed.reason();
  EXPECT_FALSE(parsed->accepted());
  EXPECT_EQ(parsed->status, 503);
  EXPECT_EQ(try_hosts(*parsed), others);
}

TEST(HandshakeTest, XTryFromOtherServentsIsReadLeniently) {
  // A default port, a host name and an IPv6 address (skipped), several X-Try headers, and a cap of 20.
  std::string many;
  for (int i = 1; i <= 30; ++i) many += "10.0.0." + std::to_string(i) + ":1,";
  auto parsed = parse_handshake(
      "GNUTELLA/0.6 503 Full\r\n"
      "X-Try: 1.2.3.4, example.org:6346, [::1]:6346,, 5.6.7.8:7000\r\n"
      "X-Try: " +
      many +
      "\r\n"
      "\r\n");
  ASSERT_TRUE(parsed.ok()) << parsed.reason();
  std::vector<Endpoint> hosts = try_hosts(*parsed);
  ASSERT_EQ(hosts.size(), kMaxTryHosts);
  EXPECT_EQ(hosts[0], (Endpoint{"1.2.3.4", 6346}));
  EXPECT_EQ(hosts[1], (Endpoint{"5.6.7.8", 7000}));
  EXPECT_EQ(hosts[2], (Endpoint{"10.0.0.1", 1}));
}

TEST(HandshakeTest, OnlyTheStatusCodeDecides) {
  auto odd_ok = parse_handshake("GNUTELLA/0.6 200 Fine by me\r\n\r\n");
  ASSERT_TRUE(odd_ok.ok());
  EXPECT_TRUE(odd_ok->accepted());
  EXPECT_EQ(odd_ok->reason, "Fine by me");
  auto bare = parse_handshake("GNUTELLA/0.6 409\r\n\r\n");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->status, 409);
  EXPECT_FALSE(bare->accepted());
}

TEST(HandshakeTest, RejectsWhatIsNotAStrictZeroSixHandshake) {
  EXPECT_NE(rejection("GNUTELLA CONNECT/0.4\r\n\r\n").find("unsupported protocol version"),
            std::string::npos);
  EXPECT_NE(rejection("GET / HTTP/1.1\r\n\r\n").find("not a Gnutella 0.6 handshake line"), std::string::npos);
  EXPECT_NE(rejection("\r\n").find("not a Gnutella 0.6 handshake line"), std::string::npos);
  EXPECT_NE(rejection("GNUTELLA/0.6 20 OK\r\n\r\n").find("3-digit status code"), std::string::npos);
  EXPECT_NE(rejection("GNUTELLA/0.6 200OK\r\n\r\n").find("3-digit status code"), std::string::npos);
  EXPECT_NE(rejection("GNUTELLA/0.6 999 Nope\r\n\r\n").find("3-digit status code"), std::string::npos);
  EXPECT_NE(rejection("GNUTELLA CONNECT/0.6\r\nUser-Agent p2plab\r\n\r\n").find("without a colon"),
            std::string::npos);
  EXPECT_NE(rejection("GNUTELLA CONNECT/0.6\r\nUser Agent: p2plab\r\n\r\n").find("bad header name"),
            std::string::npos);
  EXPECT_NE(rejection("GNUTELLA CONNECT/0.6\r\n: empty name\r\n\r\n").find("bad header name"),
            std::string::npos);
  EXPECT_NE(rejection("GNUTELLA CONNECT/0.6\r\n continued\r\n\r\n").find("continuation line before"),
            std::string::npos);
  EXPECT_NE(rejection("GNUTELLA CONNECT/0.6\r\nA: b\0c\r\n\r\n"s).find("control byte"), std::string::npos);
  EXPECT_NE(rejection("GNUTELLA CONNECT/0.6\r\nA: b\rc\r\n\r\n").find("control byte"), std::string::npos);
  EXPECT_NE(rejection("GNUTELLA CONNECT/0.6\r\n\r\nextra").find("continues after the blank line"),
            std::string::npos);
  EXPECT_NE(rejection("GNUTELLA CONNECT/0.6\r\nA: b\r\n").find("ends before its blank line"),
            std::string::npos);
}

TEST(HandshakeTest, CapsLineLengthAndHeaderCount) {
  // A line over the cap never becomes a frame: the LineFramer refuses it, and so does the parser if fed one.
  std::string long_line =
      "GNUTELLA CONNECT/0.6\r\nX-Big: " + std::string(kMaxHandshakeLine, 'x') + "\r\n\r\n";
  EXPECT_NE(rejection(long_line).find("exceeds the cap"), std::string::npos);
  HandshakeParser parser;
  EXPECT_FALSE(parser.feed(as_bytes(std::string(kMaxHandshakeLine, 'G') + "\r\n")).ok());
  EXPECT_FALSE(parser.feed(as_bytes("GNUTELLA CONNECT/0.6")).ok());  // no CRLF

  std::string crowded = "GNUTELLA CONNECT/0.6\r\n";
  for (std::size_t i = 0; i <= kMaxHandshakeHeaders; ++i) crowded += "H" + std::to_string(i) + ": v\r\n";
  EXPECT_NE(rejection(crowded + "\r\n").find("more than 64 handshake headers"), std::string::npos);

  // Folding cannot sneak past the total cap either.
  std::string folded = "GNUTELLA CONNECT/0.6\r\nX: a\r\n";
  std::string fold_line = " " + std::string(kMaxHandshakeLine - 3, 'f') + "\r\n";
  for (std::size_t total = 0; total <= kMaxHandshakeBytes; total += fold_line.size()) folded += fold_line;
  EXPECT_NE(rejection(folded + "\r\n").find("handshake exceeds the cap"), std::string::npos);
}

TEST(HandshakeTest, ParserStartsAfreshAfterAMessageOrAnError) {
  HandshakeParser parser;
  Fed bad = feed_lines(parser, "HELLO\r\n");
  EXPECT_NE(bad.error, "");
  // Two messages back to back (the parser is reused for the next step on the same connection).
  Fed good = feed_lines(parser, "GNUTELLA CONNECT/0.6\r\nA: 1\r\n\r\nGNUTELLA/0.6 200 OK\r\n\r\n");
  ASSERT_EQ(good.error, "");
  ASSERT_EQ(good.messages.size(), 2u);
  EXPECT_EQ(good.messages[0].headers.size(), 1u);
  EXPECT_TRUE(good.messages[1].headers.empty());
}

TEST(HandshakeTest, ListenAddressFallsBackToXMyAddress) {
  auto parsed = parse_handshake("GNUTELLA CONNECT/0.6\r\nX-My-Address: 10.0.0.5:6350\r\n\r\n");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(listen_address(*parsed), (Endpoint{"10.0.0.5", 6350}));
  auto none = parse_handshake("GNUTELLA CONNECT/0.6\r\n\r\n");
  EXPECT_EQ(listen_address(*none), std::nullopt);
}

}  // namespace
}  // namespace p2p::gnutella
