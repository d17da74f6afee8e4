// DatagramCore: a core that only sends and receives datagrams, for tests of the runtimes' datagram path.
#pragma once

#include <vector>

#include "common/node/core.h"

namespace p2p::testing {

class DatagramCore : public Core {
 public:
  struct Received {
    Endpoint from;
    Bytes bytes;
    TimePoint at;
  };

  // With `uses` false it is a core without a datagram port: it must never hear one.
  explicit DatagramCore(Runtime& runtime, bool uses = true) : runtime_(runtime), uses_(uses) {}

  std::string_view system() const override { return "echo"; }
  std::string_view role() const override { return "datagrams"; }
  void on_start() override {}
  std::unique_ptr<Framer> framer_for(ConnId, bool) override {
    return std::make_unique<LengthPrefixFramer>(16);
  }
  void on_connected(ConnId, bool, const Endpoint&) override {}
  void on_frame(ConnId, ByteView) override {}
  void on_closed(ConnId, std::string_view) override {}
  bool uses_datagrams() const override { return uses_; }
  void on_datagram(const Endpoint& from, ByteView bytes) override {
    received.push_back({from, Bytes(bytes.begin(), bytes.end()), runtime_.now()});
  }

  // Sends `count` datagrams of `size` bytes each to `to`, the first byte of each its number (mod 256).
  void send(const Endpoint& to, int count, std::size_t size) {
    for (int i = 0; i < count; ++i) {
      Bytes bytes(size, 0x5a);
      if (size > 0) bytes[0] = static_cast<std::uint8_t>(i);
      runtime_.send_datagram(to, std::move(bytes));
    }
  }

  std::vector<Received> received;

 private:
  Runtime& runtime_;
  bool uses_;
};

}  // namespace p2p::testing
