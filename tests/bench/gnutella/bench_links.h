// The benchmark's own Gnutella links: connections it dials to real servents, the 0.6 handshake as a client,
// then descriptors, all on one Transport in this process.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "common/host/reactor.h"
#include "common/host/transport.h"
#include "gnutella/handshake_session.h"

namespace p2p::bench {

// Each link is dialled like a servent would (CONNECT, the server's 200, our 200 confirming; GDF Gnutella
// 0.6, 2.1), then cut into descriptors by the servent's own DescriptorFramer and handed to `on_descriptor`
// as whole frames. A refusal (503) or a closed connection ends the link; nothing is redialled.
class BenchLinks {
 public:
  enum class State { Handshaking, Established, Ended };
  using OnDescriptor = std::function<void(std::size_t link, ByteView frame)>;

  // The reactor must outlive the links; the caller runs it.
  BenchLinks(Reactor& reactor, OnDescriptor on_descriptor);

  // Dials `servent` and returns the link's number (0, 1, ... in dialling order).
  std::size_t dial(const Endpoint& servent);
  std::size_t size() const { return links_.size(); }
  State state(std::size_t link) const { return links_.at(link).state; }
  // Why an ended link ended (the servent's refusal, or the transport's close reason).
  const std::string& ended_because(std::size_t link) const { return links_.at(link).why; }
  // Runs the loop until no link is still handshaking, at most `limit`.
  void settle(Duration limit);

  void send(std::size_t link, Bytes bytes) { transport_.send(links_.at(link).conn, std::move(bytes)); }
  std::size_t queued_bytes(std::size_t link) const { return transport_.queued_bytes(links_.at(link).conn); }
  void close_all();

  // Runs the loop until `done()` or `limit` has passed; false if it timed out.
  bool run_until(const std::function<bool()>& done, Duration limit);

 private:
  struct Link {
    ConnId conn;
    gnutella::HandshakeSession handshake;
    State state = State::Handshaking;
    std::string why;
  };

  void on_open(ConnId conn);
  void on_frame(ConnId conn, ByteView frame);
  void on_closed(ConnId conn, const std::string& why);
  std::size_t index_of(ConnId conn) const;

  OnDescriptor on_descriptor_;
  Reactor& reactor_;
  Transport transport_;
  std::vector<Link> links_;
};

}  // namespace p2p::bench
