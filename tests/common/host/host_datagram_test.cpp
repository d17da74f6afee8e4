// The Host opens a datagram port only for a core that uses datagrams, at its listening address and port, and
// a launcher rate command with a loss makes its link lose them.
#include <gtest/gtest.h>

#include <zmq.hpp>

#include "common/host/host.h"
#include "tests/support/datagram_core.h"

namespace p2p {
namespace {

using testing::DatagramCore;

// Sends itself a datagram at start and stops when it arrives. Whether the UDP port of its
// listening address is free to the test at start tells whether the Host bound it.
class SelfTalker : public DatagramCore {
 public:
  SelfTalker(Runtime& runtime, bool uses) : DatagramCore(runtime, uses), runtime_(runtime) {}
  void on_start() override {
    port_was_free = DatagramPort::open(runtime_.local_endpoint()).ok();
    send(runtime_.local_endpoint(), 1, 20);
    // Without a port nothing can arrive; with one, 5 s bounds the wait.
    runtime_.after(uses_datagrams() ? std::chrono::seconds(5) : Duration{0}, [this] { runtime_.stop(); });
  }
  void on_datagram(const Endpoint& from, ByteView bytes) override {
    DatagramCore::on_datagram(from, bytes);
    runtime_.stop();
  }
  bool port_was_free = false;

 private:
  Runtime& runtime_;
};

class HostDatagramTest : public ::testing::Test {
 protected:
  SelfTalker& run(bool uses) {
    auto code = host_.run([&](Runtime& rt) {
      auto core = std::make_unique<SelfTalker>(rt, uses);
      core_ = core.get();
      return core;
    });
    EXPECT_TRUE(code.ok());
    return *core_;
  }

  Host host_{NodeOptions{}};
  SelfTalker* core_ = nullptr;  // owned by host_
};

TEST_F(HostDatagramTest, ACoreThatUsesDatagramsHearsItselfAtItsListeningPort) {
  SelfTalker& core = run(true);
  EXPECT_FALSE(core.port_was_free);
  ASSERT_EQ(core.received.size(), 1u);
  EXPECT_EQ(core.received[0].from, host_.local_endpoint());
  EXPECT_EQ(core.received[0].bytes.size(), 20u);
  EXPECT_EQ(host_.transport().datagrams().sent, 1u);
  EXPECT_EQ(host_.transport().datagrams().received, 1u);
}

TEST_F(HostDatagramTest, ACoreWithoutDatagramsGetsNoPort) {
  SelfTalker& core = run(false);
  EXPECT_TRUE(core.port_was_free);
  EXPECT_TRUE(core.received.empty());
  EXPECT_EQ(host_.transport().datagrams().sent, 0u);
}

// Sends itself a datagram every 10 ms, 200 in all. For the first half, the launcher's control socket (bound
// by the test) asks its Host before each one for a link that loses every datagram, as `p2plab`'s rate command
// does: repeated, since a subscriber hears nothing published before it has connected.
class LossCommanded : public DatagramCore {
 public:
  LossCommanded(Runtime& runtime, zmq::socket_t& control)
      : DatagramCore(runtime), runtime_(runtime), control_(control) {}
  void on_start() override {
    runtime_.every(std::chrono::milliseconds(10), [this] {
      if (sent_ == kSends) return;  // the loop may run late timers once more before it stops
      if (sent_ < kSends / 2) {
        std::string command = R"({"cmd":"rate","loss":1})";
        (void)control_.send(zmq::buffer(std::string_view("all")), zmq::send_flags::sndmore);
        (void)control_.send(zmq::buffer(command), zmq::send_flags::none);
      }
      send(runtime_.local_endpoint(), 1, 8);
      if (++sent_ == kSends) runtime_.stop();
    });
  }
  static constexpr int kSends = 200;

 private:
  Runtime& runtime_;
  zmq::socket_t& control_;
  int sent_ = 0;
};

TEST(HostControlTest, ARateCommandWithALossMakesTheLinkLoseDatagrams) {
  zmq::context_t context;
  zmq::socket_t control(context, zmq::socket_type::pub);
  control.set(zmq::sockopt::linger, 0);
  control.bind("tcp://127.0.0.1:*");
  NodeOptions options;
  options.node_id = "lossy";
  options.control = control.get(zmq::sockopt::last_endpoint);
  options.log_level = LogLevel::Warn;  // not a line per command
  Host host(options);
  LossCommanded* core = nullptr;
  ASSERT_TRUE(host.run([&](Runtime& rt) {
                    auto made = std::make_unique<LossCommanded>(rt, control);
                    core = made.get();
                    return made;
                  })
                  .ok());
  // Loopback loses nothing by itself: every datagram dropped is the commanded loss. The command arrives
  // within the first second, while it is repeated, so at least the second half is lost; the rest arrive.
  const DatagramCounters& counted = host.transport().datagrams();
  EXPECT_GE(counted.dropped, LossCommanded::kSends / 2u);
  EXPECT_EQ(counted.sent + counted.dropped, static_cast<std::uint64_t>(LossCommanded::kSends));
  EXPECT_EQ(core->received.size(), counted.sent);
}

}  // namespace
}  // namespace p2p
