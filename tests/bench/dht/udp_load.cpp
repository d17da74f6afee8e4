// A KRPC load generator: a few non-blocking UDP sockets, each keeping a window of queries in flight, sent
// and received in batches (sendmmsg, recvmmsg) so that the generator costs less CPU than the node it loads.
#include "tests/bench/dht/udp_load.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <vector>

#include "bittorrent/dht/krpc.h"
#include "tests/bench/bench_util.h"

namespace p2p::bench {
namespace {

using namespace bittorrent::dht;

constexpr std::size_t kBatch = 32;
constexpr std::size_t kMaxAnswer = 2048;

// One query in five a ping, two find_node, two get_peers.
QueryArgs args_for(std::size_t i, const NodeId& target) {
  if (i % 5 == 0) return Ping{};
  if (i % 5 < 3) return FindNode{target};
  return GetPeers{target};
}

std::vector<Bytes> make_queries(std::size_t count, Rng& rng) {
  std::vector<Bytes> out;
  for (std::size_t i = 0; i < count; ++i) {
    std::string t{static_cast<char>(i >> 8), static_cast<char>(i & 0xff)};
    NodeId id = NodeId::random(rng), target = NodeId::random(rng);
    out.push_back(encode_krpc(Message{t, Query{id, args_for(i, target)}, "LG01"}));
  }
  return out;
}

class Source {
 public:
  Source(const Endpoint& node) {
    fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    if (fd_ < 0) throw std::runtime_error("socket");
    int size = 4 << 20;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    to_.sin_family = AF_INET;
    to_.sin_port = htons(node.port);
    to_.sin_addr.s_addr = htonl(node.ipv4());
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&to_), sizeof to_) != 0)
      throw std::runtime_error("connect");
  }
  ~Source() { ::close(fd_); }
  Source(const Source&) = delete;
  Source& operator=(const Source&) = delete;

  int fd() const { return fd_; }

  // Sends up to `count` queries, the next ones from the pool; returns how many left.
  std::size_t send(const std::vector<Bytes>& pool, std::size_t count) {
    std::array<mmsghdr, kBatch> messages{};
    std::array<iovec, kBatch> iov{};
    std::size_t n = std::min(count, kBatch);
    for (std::size_t i = 0; i < n; ++i) {
      const Bytes& query = pool[(next_ + i) % pool.size()];
      iov[i] = {const_cast<std::uint8_t*>(query.data()), query.size()};
      messages[i].msg_hdr.msg_iov = &iov[i];
      messages[i].msg_hdr.msg_iovlen = 1;
    }
    int sent = ::sendmmsg(fd_, messages.data(), static_cast<unsigned>(n), 0);
    if (sent <= 0) return 0;
    next_ += static_cast<std::size_t>(sent);
    return static_cast<std::size_t>(sent);
  }

  // Reads what has arrived; returns how many datagrams.
  std::size_t receive() {
    std::array<mmsghdr, kBatch> messages{};
    std::array<iovec, kBatch> iov{};
    for (std::size_t i = 0; i < kBatch; ++i) {
      iov[i] = {buffers_[i].data(), kMaxAnswer};
      messages[i].msg_hdr.msg_iov = &iov[i];
      messages[i].msg_hdr.msg_iovlen = 1;
    }
    int got = ::recvmmsg(fd_, messages.data(), kBatch, MSG_DONTWAIT, nullptr);
    return got > 0 ? static_cast<std::size_t>(got) : 0;
  }

 private:
  int fd_ = -1;
  sockaddr_in to_{};
  std::size_t next_ = 0;
  std::array<std::array<std::uint8_t, kMaxAnswer>, kBatch> buffers_{};
};

double one_run(std::vector<std::unique_ptr<Source>>& sources, const std::vector<Bytes>& pool,
               const UdpLoadSettings& s) {
  std::vector<std::size_t> in_flight(sources.size(), 0);
  std::vector<pollfd> fds;
  for (const auto& source : sources) fds.push_back({source->fd(), POLLIN, 0});
  std::uint64_t answered = 0;
  auto begin = std::chrono::steady_clock::now();
  while (seconds_since(begin) < s.seconds && !interrupted()) {
    for (std::size_t i = 0; i < sources.size(); ++i) {
      while (in_flight[i] < s.window) {
        std::size_t sent = sources[i]->send(pool, s.window - in_flight[i]);
        if (sent == 0) break;
        in_flight[i] += sent;
      }
    }
    int ready = ::poll(fds.data(), fds.size(), 20);
    if (ready == 0) {
      // Nothing for 20 ms: what is still in flight was lost (a full socket buffer); send afresh.
      std::fill(in_flight.begin(), in_flight.end(), 0);
      continue;
    }
    for (std::size_t i = 0; i < sources.size(); ++i) {
      if ((fds[i].revents & POLLIN) == 0) continue;
      for (std::size_t got; (got = sources[i]->receive()) > 0;) {
        answered += got;
        in_flight[i] -= std::min(in_flight[i], got);
      }
    }
  }
  return static_cast<double>(answered) / seconds_since(begin);
}

}  // namespace

std::vector<double> measure_queries_answered(const Endpoint& node, const UdpLoadSettings& s) {
  Rng rng(42);
  std::vector<Bytes> pool = make_queries(s.source_ids, rng);
  std::vector<std::unique_ptr<Source>> sources;
  for (std::size_t i = 0; i < s.sockets; ++i) sources.push_back(std::make_unique<Source>(node));
  std::vector<double> rates;
  for (int run = 0; run < s.runs && !interrupted(); ++run) {
    rates.push_back(one_run(sources, pool, s));
    // Let the answers still in flight arrive before the next run counts.
    ::usleep(200'000);
    for (auto& source : sources) {
      while (source->receive() > 0) {
      }
    }
  }
  return rates;
}

}  // namespace p2p::bench
