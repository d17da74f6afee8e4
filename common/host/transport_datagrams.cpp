// The Transport's datagrams: a UDP socket beside the TCP listener, on the same shaped link.
#include "common/host/transport.h"

namespace p2p {
namespace {

// Datagrams read per wake-up, so a flood cannot starve timers and the TCP connections.
constexpr int kDatagramBatch = 256;

}  // namespace

Status Transport::open_datagrams(const Endpoint& at, Rng loss_draws, DatagramPort::OnDatagram on_datagram) {
  auto port = DatagramPort::open(at);
  if (!port) return port.error();
  datagram_port_ = std::move(port).value();
  loss_draws_ = loss_draws;
  on_datagram_ = std::move(on_datagram);
  reactor_.add_fd(datagram_port_->fd(), [this] { on_datagrams_readable(); });
  return Ok{};
}

void Transport::send_datagram(const Endpoint& remote, Bytes bytes) {
  if (!datagram_port_) return;
  if (bytes.size() > kMaxDatagramBytes) {
    ++datagrams_.dropped;
    return;
  }
  if (up_.passthrough() && up_.empty()) {
    transmit_datagram(remote, bytes);
    return;
  }
  up_.push_datagram(remote, std::move(bytes), reactor_.now());
  schedule(up_, up_timer_, &Transport::pump_up);
}

// A datagram leaves the uplink: a lossy link may lose it, and a full socket buffer refuses it.
void Transport::transmit_datagram(const Endpoint& remote, ByteView bytes) {
  if (loss_draws_.chance(loss_) || !datagram_port_->send_to(remote, bytes)) {
    ++datagrams_.dropped;
    return;
  }
  ++datagrams_.sent;
  bytes_sent_ += bytes.size();
}

// Datagrams cross the download link as stream bytes do; when its queue is over the backlog, newcomers are
// dropped, as a router's full queue drops them (a datagram socket cannot push back).
void Transport::on_datagrams_readable() {
  datagram_port_->receive(kDatagramBatch, [this](const Endpoint& from, ByteView bytes) {
    if (down_.passthrough() && down_.empty()) {
      deliver_datagram(from, bytes);
    } else if (down_.queued_bytes() > max_download_backlog) {
      ++datagrams_.dropped;
    } else {
      down_.push_datagram(from, Bytes(bytes.begin(), bytes.end()), reactor_.now());
    }
  });
  schedule(down_, down_timer_, &Transport::pump_down);
}

void Transport::deliver_datagram(const Endpoint& from, ByteView bytes) {
  ++datagrams_.received;
  bytes_received_ += bytes.size();
  on_datagram_(from, bytes);
}

}  // namespace p2p
