// SocketProbe: one hostile connection (TCP) or socket (UDP) to a listener on 127.0.0.1, which records what
// the peer did: how many bytes went each way, whether and when the peer closed. A test tool, so plain POSIX
// sockets; it never reads a clock or a socket outside tests/tools.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "common/util/bytes.h"
#include "common/util/expected.h"

namespace p2p::hostile {

using Clock = std::chrono::steady_clock;

class SocketProbe {
 public:
  enum class Kind { Tcp, Udp };

  // What watch() waits for besides the peer's close: nothing more, the end of a text head ("\r\n\r\n"),
  // or any bytes at all.
  enum class Until { Close, BlankLine, AnyBytes };

  // Connects (TCP, waiting at most `limit`) or points (UDP) a non-blocking socket at 127.0.0.1:port.
  static Expected<SocketProbe> open(Kind kind, std::uint16_t port,
                                    Clock::duration limit = std::chrono::seconds(2));
  SocketProbe(SocketProbe&& other) noexcept;
  SocketProbe& operator=(SocketProbe&& other) noexcept;
  SocketProbe(const SocketProbe&) = delete;
  SocketProbe& operator=(const SocketProbe&) = delete;
  ~SocketProbe();

  // Sends all of `bytes` (one datagram on UDP), waiting at most `limit` for room; false once the peer has
  // closed (or the wait ran out).
  bool send(ByteView bytes, Clock::duration limit = std::chrono::seconds(2));
  // Reads what arrives until the peer closes, `until` is met, or `limit` passes.
  void watch(Clock::duration limit, Until until = Until::Close);
  // Reads what has already arrived, without waiting.
  void drain() { watch(Clock::duration::zero()); }

  bool closed() const { return closed_at_.has_value(); }
  double seconds_open() const;
  std::uint64_t bytes_sent() const { return sent_; }
  std::uint64_t bytes_received() const { return received_; }
  int fd() const { return fd_; }
  // "closed by the peer after 1.2 s, 68 bytes sent, 0 received" or "still open after ...".
  std::string describe() const;

 private:
  SocketProbe(int fd, Kind kind) : fd_(fd), kind_(kind), opened_at_(Clock::now()) {}
  // Reads everything waiting; true if it held the blank line that ends a text head.
  bool read_ready();

  int fd_ = -1;
  Kind kind_ = Kind::Tcp;
  Clock::time_point opened_at_;
  std::optional<Clock::time_point> closed_at_;
  std::uint64_t sent_ = 0, received_ = 0;
  std::string tail_;  // the last bytes read, to spot a blank line that spans two reads
};

}  // namespace p2p::hostile
