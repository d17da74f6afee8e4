// The Gnutella 0.6 handshake steps on one connection.
#include "gnutella/handshake_session.h"

namespace p2p::gnutella {

HandshakeSession HandshakeSession::client(std::vector<HandshakeHeader> headers) {
  return HandshakeSession(true, State::AwaitingResponse, std::move(headers));
}

HandshakeSession HandshakeSession::server(std::vector<HandshakeHeader> headers) {
  return HandshakeSession(false, State::AwaitingConnect, std::move(headers));
}

std::string HandshakeSession::opening() const {
  return to_text(connect_request(headers_));
}

HandshakeSession::Step HandshakeSession::feed(ByteView line, const Admit& admit) {
  if (state_ == State::Established || state_ == State::Ended) return {};
  auto fed = parser_.feed(line);
  if (!fed) return end("bad handshake: " + fed.reason());
  if (!fed->has_value()) return {};
  return on_message(std::move(**fed), admit);
}

HandshakeSession::Step HandshakeSession::on_message(HandshakeMessage message, const Admit& admit) {
  if (message.kind == HandshakeKind::Connect) {
    if (state_ != State::AwaitingConnect) return end("unexpected GNUTELLA CONNECT");
  } else if (state_ == State::AwaitingConnect) {
    return end("expected GNUTELLA CONNECT, got a response");
  }
  if (auto listen = listen_address(message)) peer_listen_ = *listen;
  if (auto agent = message.header("User-Agent")) peer_agent_ = std::string(*agent);
  for (const Endpoint& host : try_hosts(message)) suggested_.push_back(host);

  std::string status = std::to_string(message.status) + " " + message.reason;
  switch (state_) {
    case State::AwaitingResponse:
      if (!message.accepted()) return end("refused by peer: " + status);
      state_ = State::Established;
      // The confirmation needs no headers: everything was said in the CONNECT.
      return Step{to_text(ok_response({})), true, std::nullopt};
    case State::AwaitingConnect: {
      Admission admission = admit(*this);
      if (!admission.accept) {
        return end("refused: " + admission.reason, to_text(busy_response(admission.try_hosts, headers_)));
      }
      state_ = State::AwaitingConfirm;
      return Step{to_text(ok_response(headers_)), false, std::nullopt};
    }
    case State::AwaitingConfirm:
      if (!message.accepted()) return end("peer declined our 200: " + status);
      state_ = State::Established;
      return Step{{}, true, std::nullopt};
    case State::Established:
    case State::Ended:
      break;
  }
  return {};
}

HandshakeSession::Step HandshakeSession::end(std::string reason, std::string send) {
  state_ = State::Ended;
  return Step{std::move(send), false, std::move(reason)};
}

}  // namespace p2p::gnutella
