// The benchmark's client side of Gnutella links.
#include "tests/bench/gnutella/bench_links.h"

#include <algorithm>
#include <memory>

#include "gnutella/descriptor_framer.h"
#include "gnutella/handshake.h"

namespace p2p::bench {

BenchLinks::BenchLinks(Reactor& reactor, OnDescriptor on_descriptor)
    : on_descriptor_(std::move(on_descriptor)),
      reactor_(reactor),
      transport_(reactor, {},
                 Transport::Handlers{
                     [](ConnId, bool) { return std::make_unique<LineFramer>(gnutella::kMaxHandshakeLine); },
                     [this](ConnId c, bool, const Endpoint&) { on_open(c); },
                     [this](ConnId c, ByteView f) { on_frame(c, f); },
                     [this](ConnId c, const std::string& why) { on_closed(c, why); }}) {
  raise_fd_limit();
}

std::size_t BenchLinks::dial(const Endpoint& servent) {
  // No Listen-IP: the benchmark takes no inbound links, so servents must not pass its address on.
  links_.push_back(Link{transport_.connect(servent),
                        gnutella::HandshakeSession::client(gnutella::servent_headers("bench-gnutella", {})),
                        State::Handshaking, ""});
  return links_.size() - 1;
}

void BenchLinks::settle(Duration limit) {
  run_until(
      [&] {
        return std::none_of(links_.begin(), links_.end(),
                            [](const Link& l) { return l.state == State::Handshaking; });
      },
      limit);
}

void BenchLinks::close_all() {
  for (Link& link : links_) {
    if (link.state != State::Ended) transport_.close(link.conn, "benchmark done");
    link.state = State::Ended;
  }
  reactor_.run_for(milliseconds(50));  // let the closes leave
}

bool BenchLinks::run_until(const std::function<bool()>& done, Duration limit) {
  TimePoint deadline = reactor_.now() + limit;
  while (!done()) {
    if (reactor_.now() >= deadline) return false;
    reactor_.run_for(milliseconds(2));
  }
  return true;
}

void BenchLinks::on_open(ConnId conn) {
  Link& link = links_[index_of(conn)];
  transport_.send(conn, to_bytes(link.handshake.opening()));
}

void BenchLinks::on_frame(ConnId conn, ByteView frame) {
  std::size_t index = index_of(conn);
  Link& link = links_[index];
  if (link.state == State::Established) {
    on_descriptor_(index, frame);
    return;
  }
  if (link.state == State::Ended) return;
  // The benchmark only dials, so it is never asked to admit anyone.
  auto step = link.handshake.feed(
      frame, [](const gnutella::HandshakeSession&) { return gnutella::HandshakeSession::Admission{}; });
  if (!step.send.empty()) transport_.send(conn, to_bytes(step.send));
  if (step.close) {
    link.state = State::Ended;
    link.why = *step.close;
    transport_.close(conn, *step.close);
  } else if (step.established) {
    link.state = State::Established;
    transport_.set_framer(conn, std::make_unique<gnutella::DescriptorFramer>());
  }
}

void BenchLinks::on_closed(ConnId conn, const std::string& why) {
  Link& link = links_[index_of(conn)];
  if (link.state == State::Ended) return;
  link.state = State::Ended;
  link.why = why;
}

std::size_t BenchLinks::index_of(ConnId conn) const {
  auto it = std::find_if(links_.begin(), links_.end(), [&](const Link& l) { return l.conn == conn; });
  return static_cast<std::size_t>(it - links_.begin());
}

}  // namespace p2p::bench
