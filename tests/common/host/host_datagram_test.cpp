// The Host opens a datagram port only for a core that uses datagrams, at its listening address and port.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace p2p
