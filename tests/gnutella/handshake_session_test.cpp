// HandshakeSession: the three 0.6 steps between a client and a server session, refusals with X-Try, and
// peers that do not follow the steps.
#include "gnutella/handshake_session.h"

#include <gtest/gtest.h>

#include <string>

#include "common/net/framer.h"

namespace p2p::gnutella {
namespace {

const Endpoint kClient{"10.0.0.1", 6346};
const Endpoint kServer{"10.0.0.2", 6346};

HandshakeSession::Admission accept_all(const HandshakeSession&) {
  return {};
}

// Feeds `text` to `session` line by line and returns the last step (the one that ended the message).
HandshakeSession::Step feed(HandshakeSession& session, std::string_view text,
                            const HandshakeSession::Admit& admit = accept_all) {
  FrameAssembler lines(std::make_unique<LineFramer>(kMaxHandshakeLine));
  lines.append(as_bytes(text));
  HandshakeSession::Step last;
  (void)lines.drain([&](ByteView line) {
    last = session.feed(line, admit);
    return true;
  });
  return last;
}

TEST(HandshakeSessionTest, ClientAndServerWalkTheThreeStepsToDescriptors) {
  HandshakeSession client = HandshakeSession::client(servent_headers("p2plab/0.1", kClient));
  HandshakeSession server = HandshakeSession::server(servent_headers("p2plab/0.1", kServer));

  // 1. The client's CONNECT reaches the server, which learns where the client listens and answers 200.
  std::optional<Endpoint> seen_by_admit;
  HandshakeSession::Step answer = feed(server, client.opening(), [&](const HandshakeSession& s) {
    seen_by_admit = s.peer_listen();
    return HandshakeSession::Admission{};
  });
  EXPECT_EQ(seen_by_admit, kClient);
  EXPECT_TRUE(answer.send.starts_with("GNUTELLA/0.6 200 OK\r\n"));
  EXPECT_FALSE(answer.established);
  EXPECT_EQ(server.state(), HandshakeSession::State::AwaitingConfirm);

  // 2. The client reads the 200, confirms, and is established at once.
  HandshakeSession::Step confirm = feed(client, answer.send);
  EXPECT_EQ(confirm.send, "GNUTELLA/0.6 200 OK\r\n\r\n");
  EXPECT_TRUE(confirm.established);
  EXPECT_EQ(client.peer_listen(), kServer);
  EXPECT_EQ(client.peer_agent(), "p2plab/0.1");

  // 3. The server reads the confirmation and is established too; it has nothing more to say.
  HandshakeSession::Step done = feed(server, confirm.send);
  EXPECT_TRUE(done.established);
  EXPECT_TRUE(done.send.empty());
  EXPECT_EQ(server.state(), HandshakeSession::State::Established);
}

TEST(HandshakeSessionTest, AFullServerRefusesWith503AndHostsToTry) {
  HandshakeSession client = HandshakeSession::client(servent_headers("p2plab/0.1", kClient));
  HandshakeSession server = HandshakeSession::server(servent_headers("p2plab/0.1", kServer));
  std::vector<Endpoint> others = {{"10.0.0.3", 6346}, {"10.0.0.4", 7000}};
  HandshakeSession::Step refusal = feed(server, client.opening(), [&](const HandshakeSession&) {
    return HandshakeSession::Admission{false, "full with 8 neighbours", others};
  });
  // The server sends its 503 and closes after it.
  EXPECT_TRUE(refusal.send.starts_with("GNUTELLA/0.6 503 "));
  EXPECT_NE(refusal.send.find("X-Try: 10.0.0.3:6346, 10.0.0.4:7000\r\n"), std::string::npos);
  EXPECT_EQ(refusal.close, "refused: full with 8 neighbours");
  // The client gives up on this server but keeps the hosts it was told to try.
  HandshakeSession::Step given_up = feed(client, refusal.send);
  EXPECT_EQ(given_up.close, "refused by peer: 503 Service Unavailable");
  EXPECT_FALSE(given_up.established);
  EXPECT_EQ(client.suggested(), others);
}

TEST(HandshakeSessionTest, StepsOutOfOrderOrGarbageEndTheHandshake) {
  // A server that gets a response where a CONNECT belongs.
  HandshakeSession server = HandshakeSession::server({});
  EXPECT_EQ(feed(server, "GNUTELLA/0.6 200 OK\r\n\r\n").close, "expected GNUTELLA CONNECT, got a response");
  // A client that gets a CONNECT where the answer belongs.
  HandshakeSession client = HandshakeSession::client({});
  EXPECT_EQ(feed(client, "GNUTELLA CONNECT/0.6\r\n\r\n").close, "unexpected GNUTELLA CONNECT");
  // A peer speaking something else entirely.
  HandshakeSession other = HandshakeSession::server({});
  auto step = feed(other, "SSH-2.0-OpenSSH_9.0\r\n");
  ASSERT_TRUE(step.close.has_value());
  EXPECT_TRUE(step.close->starts_with("bad handshake: not a Gnutella 0.6 handshake line"));
  // A client that declines the server's 200.
  HandshakeSession picky = HandshakeSession::server({});
  feed(picky, "GNUTELLA CONNECT/0.6\r\n\r\n");
  EXPECT_EQ(feed(picky, "GNUTELLA/0.6 403 Go away\r\n\r\n").close, "peer declined our 200: 403 Go away");
  // After the end, further lines change nothing.
  EXPECT_EQ(picky.state(), HandshakeSession::State::Ended);
  EXPECT_FALSE(feed(picky, "GNUTELLA CONNECT/0.6\r\n\r\n").close.has_value());
}

}  // namespace
}  // namespace p2p::gnutella
