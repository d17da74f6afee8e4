// Sessions: the KaZaA connections of one node (to and from supernodes), as opposed to its HTTP transfers.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "common/node/core.h"
#include "kazaa/message.h"

namespace p2p::kazaa {

// Which connections carry KaZaA messages, and the one way to send on them, close them or refuse their
// input. Both roles of a node (kazaa/ordinary_node.h, kazaa/supernode.h) talk through it, so a role switch
// can close every session of the old role at once, and bad input is refused and counted in one place.
class Sessions {
 public:
  explicit Sessions(Runtime& runtime) : runtime_(runtime) {}

  // Opens a session to `remote`; the role hears of it from on_connected, or on_closed if it fails.
  ConnId dial(const Endpoint& remote);
  // An inbound connection whose first frame was a KaZaA frame. `remote` is the peer's address, port 0.
  void adopt(ConnId conn, const Endpoint& remote);
  void send(ConnId conn, const Message& message);
  // Closes a session and forgets it: its on_closed() will not reach the role.
  void close(ConnId conn, const std::string& reason);
  // Refuses bad input: a `rejected` event, a count, and the session closed with the reason.
  void reject(ConnId conn, std::string_view kind, const std::string& reason);
  // Refuses a message that has no place on its session (kind "unexpected_message").
  void reject_unexpected(ConnId conn, const Message& message);
  // The runtime reports the connection gone; true if it was a session still open.
  bool forget(ConnId conn) { return sessions_.erase(conn) > 0; }
  void close_all(const std::string& reason);

  bool contains(ConnId conn) const { return sessions_.contains(conn); }
  // The address dialled, or the inbound peer's address with port 0.
  const Endpoint& remote(ConnId conn) const { return sessions_.at(conn); }
  // True inside dial(): a runtime may ask for the framer of a connection before connect() returns its id.
  bool dialling() const { return dialling_; }
  std::uint64_t rejected() const { return rejected_; }

 private:
  Runtime& runtime_;
  std::map<ConnId, Endpoint> sessions_;
  bool dialling_ = false;
  std::uint64_t rejected_ = 0;
};

}  // namespace p2p::kazaa
