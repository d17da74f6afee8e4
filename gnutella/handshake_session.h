// HandshakeSession: one side of a Gnutella 0.6 connection handshake, from the first line to descriptors.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/net/endpoint.h"
#include "common/util/bytes.h"
#include "gnutella/handshake.h"

namespace p2p::gnutella {

// Tracks the three steps of GDF Gnutella 0.6, 2.1 on one connection and says what to send and when the
// descriptors begin:
//   client: sends CONNECT, waits for the response (AwaitingResponse), confirms a 200, and is established;
//   server: waits for CONNECT (AwaitingConnect), answers 200 or "503 + X-Try" as `admit` decides, then
//           waits for the client's confirmation (AwaitingConfirm) and is established.
// The draft has the client confirm with its own 200 before any descriptor, so each side swaps to the
// DescriptorFramer on the very line that establishes the connection. What the peer says about itself
// (Listen-IP) and the hosts it suggests (X-Try, in a 503 or a 200) are kept for the host cache.
class HandshakeSession {
 public:
  enum class State { AwaitingResponse, AwaitingConnect, AwaitingConfirm, Established, Ended };

  // The server's decision on a CONNECT: accept it, or refuse it, naming other hosts to try.
  struct Admission {
    bool accept = true;
    std::string reason;               // why it is refused, for the closing reason
    std::vector<Endpoint> try_hosts;  // the 503's X-Try
  };
  using Admit = std::function<Admission(const HandshakeSession& session)>;

  // What to do after a line: send `send` (if any), then swap framers if `established`, or close with
  // `close` as the reason (after the send, which a refusal must reach).
  struct Step {
    std::string send;
    bool established = false;
    std::optional<std::string> close;
  };

  // `headers` are what this servent says about itself in every step (servent_headers()).
  static HandshakeSession client(std::vector<HandshakeHeader> headers);
  static HandshakeSession server(std::vector<HandshakeHeader> headers);

  // The client's first words, the CONNECT request.
  std::string opening() const;
  // One line with its CRLF, as LineFramer(kMaxHandshakeLine) cuts it. `admit` is asked once, on the server,
  // when the CONNECT is complete.
  Step feed(ByteView line, const Admit& admit);

  State state() const { return state_; }
  bool is_client() const { return client_; }
  // Where the peer says it listens (Listen-IP), once its message has arrived.
  const std::optional<Endpoint>& peer_listen() const { return peer_listen_; }
  const std::string& peer_agent() const { return peer_agent_; }
  // The hosts the peer suggested with X-Try.
  const std::vector<Endpoint>& suggested() const { return suggested_; }

 private:
  HandshakeSession(bool client, State state, std::vector<HandshakeHeader> headers)
      : client_(client), state_(state), headers_(std::move(headers)) {}

  Step on_message(HandshakeMessage message, const Admit& admit);
  Step end(std::string reason, std::string send = {});

  bool client_;
  State state_;
  std::vector<HandshakeHeader> headers_;
  HandshakeParser parser_;
  std::optional<Endpoint> peer_listen_;
  std::string peer_agent_;
  std::vector<Endpoint> suggested_;
};

}  // namespace p2p::gnutella
