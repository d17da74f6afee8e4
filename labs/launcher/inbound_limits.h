// What every launcher socket that accepts connections from outside sets (issue 18, hostile peers).
#pragma once

#include <cstdint>

#include <zmq.hpp>

namespace p2p::labs {

// The longest subscription a watcher or node sends to the launcher's XPUB and PUB endpoints: a topic, which
// is a node id or "all".
inline constexpr std::int64_t kMaxSubscriptionBytes = 1024;

// Bounds what a peer of `socket` can make the launcher hold, and which peers it speaks to:
// - ZMQ_MAXMSGSIZE: without it libzmq takes a frame of whatever length its header says (a long frame's 8-byte
//   length: 4 GiB and more) and buffers it whole; with it, a longer frame drops the connection at once.
// - ZMQ_ZAP_DOMAIN: libzmq takes a peer whose first byte is not ZMTP 3's FF for a ZMTP 1.0 peer, so random
//   bytes become a stream of messages; a ROUTER-based socket (the command server's REP) then loses the reply
//   to the next honest request once that peer is dropped. A ZAP domain makes libzmq refuse ZMTP 1.0 peers
//   (every p2plab program speaks ZMTP 3); with no ZAP handler bound, the NULL mechanism goes on without one.
inline void limit_inbound(zmq::socket_t& socket, std::int64_t max_message_bytes) {
  socket.set(zmq::sockopt::maxmsgsize, max_message_bytes);
  socket.set(zmq::sockopt::zap_domain, "p2plab");
}

}  // namespace p2p::labs
