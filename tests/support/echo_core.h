// EchoCore: the smallest protocol core. It sends back every length-prefixed frame it receives; tests and
// benchmarks use it to exercise the transport, the link shaper and SimNet without a real protocol.
#pragma once

#include <memory>
#include <optional>

#include "common/node/core.h"

namespace p2p::testing {

class EchoCore : public Core {
 public:
  static constexpr std::size_t kMaxFrame = 1 << 20;

  // With `dial`, it connects there at start and sends `greetings` frames of `greeting_bytes` each.
  EchoCore(Runtime& runtime, std::optional<Endpoint> dial = std::nullopt, int greetings = 0,
           std::size_t greeting_bytes = 16)
      : runtime_(runtime), dial_(dial), greetings_(greetings), greeting_bytes_(greeting_bytes) {}

  std::string_view system() const override { return "echo"; }
  std::string_view role() const override { return dial_ ? "client" : "server"; }
  void on_start() override {
    if (dial_) runtime_.connect(*dial_);
  }
  std::unique_ptr<Framer> framer_for(ConnId, bool) override {
    return std::make_unique<LengthPrefixFramer>(kMaxFrame);
  }
  void on_connected(ConnId conn, bool inbound, const Endpoint&) override {
    ++connected;
    if (inbound) return;
    for (int i = 0; i < greetings_; ++i) runtime_.send(conn, frame(greeting_bytes_));
  }
  void on_frame(ConnId conn, ByteView bytes) override {
    ++frames;
    if (!dial_) runtime_.send(conn, Bytes(bytes.begin(), bytes.end()));  // servers echo, clients count
  }
  void on_closed(ConnId, std::string_view reason) override {
    ++closed;
    last_close_reason = std::string(reason);
  }
  nlohmann::json status() const override { return {{"frames", frames}, {"connected", connected}}; }

  static Bytes frame(std::size_t payload) {
    ByteWriter w(payload + 4);
    w.u32be(static_cast<std::uint32_t>(payload));
    Bytes body(payload, 0x5a);
    w.bytes(body);
    return w.take();
  }

  int connected = 0;
  int frames = 0;
  int closed = 0;
  std::string last_close_reason;

 private:
  Runtime& runtime_;
  std::optional<Endpoint> dial_;
  int greetings_;
  std::size_t greeting_bytes_;
};

}  // namespace p2p::testing
