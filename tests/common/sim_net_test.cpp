// SimNet: the link model on a virtual clock, failures, determinism, and thousands of cores in one process.
#include "common/sim/sim_net.h"

#include <gtest/gtest.h>

#include "tests/support/echo_core.h"

namespace p2p::sim {
namespace {

using p2p::testing::EchoCore;

LinkConfig link(std::uint64_t up_kbps, std::uint64_t down_kbps, int latency_ms) {
  return {up_kbps * 1000, down_kbps * 1000, std::chrono::milliseconds(latency_ms)};
}

TEST(SimNetTest, AnEchoCrossesBothLinksTwice) {
  // Two nodes 50 ms from the network each: connecting takes 200 ms (a round trip), an echo another 200 ms.
  SimNet net(1);
  NodeIndex server =
      net.add_node("server", link(0, 0, 50), [](Runtime& rt) { return std::make_unique<EchoCore>(rt); });
  Endpoint where = net.endpoint(server);
  NodeIndex client = net.add_node("client", link(0, 0, 50),
                                  [&](Runtime& rt) { return std::make_unique<EchoCore>(rt, where, 1); });
  auto& echo = net.core_as<EchoCore>(client);
  ASSERT_TRUE(net.run_until([&] { return echo.frames == 1; }, std::chrono::seconds(5)));
  EXPECT_NEAR(to_millis(net.now().time_since_epoch()), 400.0, 1.0);
}

TEST(SimNetTest, AnUploadCapPacesABulkTransfer) {
  // 1 MB through a 1 Mbit/s uplink takes about 8 s, whatever the receiver's capacity.
  SimNet net(1);
  NodeIndex server =
      net.add_node("server", link(0, 0, 0), [](Runtime& rt) { return std::make_unique<EchoCore>(rt); });
  Endpoint where = net.endpoint(server);
  NodeIndex client = net.add_node("client", link(1000, 0, 0), [&](Runtime& rt) {
    return std::make_unique<EchoCore>(rt, where, 100, 10'000 - 4);
  });
  auto& echo = net.core_as<EchoCore>(client);
  ASSERT_TRUE(net.run_until([&] { return echo.frames == 100; }, std::chrono::seconds(60)));
  EXPECT_NEAR(to_seconds(net.now().time_since_epoch()), 8.0, 0.3);
}

TEST(SimNetTest, AKilledNodeIsSeenAsResetAndNoLongerAccepts) {
  SimNet net(1);
  NodeIndex server =
      net.add_node("server", link(0, 0, 10), [](Runtime& rt) { return std::make_unique<EchoCore>(rt); });
  Endpoint where = net.endpoint(server);
  NodeIndex client = net.add_node("client", link(0, 0, 10),
                                  [&](Runtime& rt) { return std::make_unique<EchoCore>(rt, where, 1); });
  net.run_for(std::chrono::seconds(1));
  net.kill(server);
  net.run_for(std::chrono::seconds(1));
  EXPECT_EQ(net.core_as<EchoCore>(client).last_close_reason, "connection reset by peer");

  NodeIndex late = net.add_node("late", link(0, 0, 10),
                                [&](Runtime& rt) { return std::make_unique<EchoCore>(rt, where, 1); });
  net.run_for(std::chrono::seconds(1));
  EXPECT_EQ(net.core_as<EchoCore>(late).last_close_reason, "connect failed: connection refused");

  net.restart(server);
  NodeIndex again = net.add_node("again", link(0, 0, 10),
                                 [&](Runtime& rt) { return std::make_unique<EchoCore>(rt, where, 1); });
  net.run_for(std::chrono::seconds(1));
  EXPECT_EQ(net.core_as<EchoCore>(again).frames, 1);
}

TEST(SimNetTest, AClosedConnectionReachesThePeerBehindItsData) {
  // The client sends two frames and closes at once: the server still echoes both, then hears the close.
  struct SendAndClose : EchoCore {
    SendAndClose(Runtime& rt, Endpoint to) : EchoCore(rt, to, 2), rt_(rt) {}
    void on_connected(ConnId conn, bool inbound, const Endpoint& e) override {
      EchoCore::on_connected(conn, inbound, e);
      rt_.close(conn, "done");
    }
    Runtime& rt_;
  };
  SimNet net(1);
  NodeIndex server =
      net.add_node("server", link(100, 0, 20), [](Runtime& rt) { return std::make_unique<EchoCore>(rt); });
  Endpoint where = net.endpoint(server);
  NodeIndex client = net.add_node("client", link(100, 0, 20),
                                  [&](Runtime& rt) { return std::make_unique<SendAndClose>(rt, where); });
  net.run_for(std::chrono::seconds(2));
  EXPECT_EQ(net.core_as<EchoCore>(server).frames, 2);
  EXPECT_EQ(net.core_as<EchoCore>(server).last_close_reason, "closed by peer");
  EXPECT_EQ(net.core_as<EchoCore>(client).last_close_reason, "done");
}

TEST(SimNetTest, ACoreMayCloseFromOnFrameWithMoreFramesBehind) {
  // The client sends three frames in one write; the server, on a link that neither caps nor delays (as a
  // lab's tracker), closes on the first. Its close leaves at once and SimNet forgets the connection inside
  // on_frame: the rest of the segment is dropped, not cut from a buffer that is gone.
  struct ThreeInOne : EchoCore {
    ThreeInOne(Runtime& rt, Endpoint to) : EchoCore(rt, to), rt_(rt) {}
    void on_connected(ConnId conn, bool, const Endpoint&) override {
      Bytes three;
      for (int i = 0; i < 3; ++i) {
        Bytes one = frame(100);
        three.insert(three.end(), one.begin(), one.end());
      }
      rt_.send(conn, std::move(three));
    }
    Runtime& rt_;
  };
  struct CloseOnFirst : EchoCore {
    explicit CloseOnFirst(Runtime& rt) : EchoCore(rt), rt_(rt) {}
    void on_frame(ConnId conn, ByteView) override {
      ++frames;
      rt_.close(conn, "enough");
    }
    Runtime& rt_;
  };
  SimNet net(1);
  NodeIndex server =
      net.add_node("server", link(0, 0, 0), [](Runtime& rt) { return std::make_unique<CloseOnFirst>(rt); });
  Endpoint where = net.endpoint(server);
  NodeIndex client = net.add_node("client", link(0, 0, 10),
                                  [&](Runtime& rt) { return std::make_unique<ThreeInOne>(rt, where); });
  net.run_for(std::chrono::seconds(1));
  EXPECT_EQ(net.core_as<EchoCore>(server).frames, 1);
  EXPECT_EQ(net.core_as<EchoCore>(client).last_close_reason, "closed by peer");
}

TEST(SimNetTest, ACoreMayUseItsRuntimeWhileBeingDestroyed) {
  // Destroying SimNet with live nodes destroys their cores, which may cancel their own timers as they go.
  struct Tidy : EchoCore {
    explicit Tidy(Runtime& rt) : EchoCore(rt), rt_(rt), timer_(rt.every(std::chrono::seconds(1), [] {})) {}
    ~Tidy() override { rt_.cancel(timer_); }
    Runtime& rt_;
    TimerId timer_;
  };
  auto net = std::make_unique<SimNet>(1);
  net->add_node("tidy", link(0, 0, 0), [](Runtime& rt) { return std::make_unique<Tidy>(rt); });
  net->run_for(std::chrono::seconds(3));
  net.reset();
  SUCCEED();
}

TEST(SimNetTest, TheSameSeedReplaysTheSameRun) {
  auto run = [](std::uint64_t seed) {
    SimNet net(seed);
    NodeIndex server =
        net.add_node("s", link(0, 0, 5), [](Runtime& rt) { return std::make_unique<EchoCore>(rt); });
    for (int i = 0; i < 20; ++i) {
      Endpoint where = net.endpoint(server);
      net.add_node("c" + std::to_string(i), link(500, 500, 5 + i), [where](Runtime& rt) {
        return std::make_unique<EchoCore>(rt, where, 1 + static_cast<int>(rt.random().below(5)), 3000);
      });
    }
    net.record_status_every(std::chrono::milliseconds(500));
    net.run_for(std::chrono::seconds(5));
    return nlohmann::json(net.records()).dump();
  };
  EXPECT_EQ(run(7), run(7));
  EXPECT_NE(run(7), run(8));
}

TEST(SimNetScaleTest, TenThousandIdleCoresAndAThousandTalkingOnesRun) {
  SimNet idle(1);
  for (int i = 0; i < 10'000; ++i) {
    idle.add_node("idle-" + std::to_string(i), link(1000, 8000, 20),
                  [](Runtime& rt) { return std::make_unique<EchoCore>(rt); });
  }
  idle.run_for(std::chrono::seconds(60));
  EXPECT_EQ(idle.size(), 10'000u);

  // 1,000 cores: 100 echo servers, 900 clients sending 10 frames each to one of them.
  SimNet busy(2);
  for (int i = 0; i < 100; ++i) {
    busy.add_node("server-" + std::to_string(i), link(8000, 8000, 10),
                  [](Runtime& rt) { return std::make_unique<EchoCore>(rt); });
  }
  for (int i = 0; i < 900; ++i) {
    Endpoint where = busy.endpoint(static_cast<NodeIndex>(i % 100));
    busy.add_node("client-" + std::to_string(i), link(1000, 8000, 20),
                  [where](Runtime& rt) { return std::make_unique<EchoCore>(rt, where, 10, 1000); });
  }
  busy.run_for(std::chrono::seconds(30));
  int echoed = 0;
  for (NodeIndex i = 100; i < 1000; ++i) echoed += busy.core_as<EchoCore>(i).frames;
  EXPECT_EQ(echoed, 9000);
  std::cout << "[ figures  ] busy SimNet ran " << busy.events_run() << " events\n";
}

}  // namespace
}  // namespace p2p::sim
