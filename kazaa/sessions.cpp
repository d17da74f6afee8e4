// Sending, closing and refusing on a node's KaZaA sessions.
#include "kazaa/sessions.h"

#include <vector>

#include "kazaa/codec.h"

namespace p2p::kazaa {

ConnId Sessions::dial(const Endpoint& remote) {
  dialling_ = true;
  ConnId conn = runtime_.connect(remote);
  dialling_ = false;
  sessions_[conn] = remote;
  return conn;
}

void Sessions::adopt(ConnId conn, const Endpoint& remote) {
  sessions_[conn] = remote;
}

void Sessions::send(ConnId conn, const Message& message) {
  if (contains(conn)) runtime_.send(conn, encode(message));
}

void Sessions::close(ConnId conn, const std::string& reason) {
  if (sessions_.erase(conn) > 0) runtime_.close(conn, reason);
}

void Sessions::reject(ConnId conn, std::string_view kind, const std::string& reason) {
  ++rejected_;
  runtime_.telemetry().event("rejected", {{"kind", kind}, {"reason", reason}});
  close(conn, reason);
}

void Sessions::reject_unexpected(ConnId conn, const Message& message) {
  reject(conn, "unexpected_message", "unexpected " + std::string(type_name(type_of(message))));
}

void Sessions::close_all(const std::string& reason) {
  std::vector<ConnId> open;
  for (const auto& [conn, remote] : sessions_) open.push_back(conn);
  for (ConnId conn : open) close(conn, reason);
}

}  // namespace p2p::kazaa
