// SimNet: the link model on a virtual clock, failures, determinism, and thousands of cores in one process.
#include "common/sim/sim_net.h"

#include <gtest/gtest.h>

#include "tests/support/datagram_core.h"
#include "tests/support/echo_core.h"

namespace p2p::sim {
namespace {

using p2p::testing::DatagramCore;
using p2p::testing::EchoCore;

LinkConfig link(std::uint64_t up_kbps, std::uint64_t down_kbps, int latency_ms, double loss = 0) {
  return {up_kbps * 1000, down_kbps * 1000, std::chrono::milliseconds(latency_ms), loss};
}

MakeCore datagram_core(bool uses = true) {
  return [uses](Runtime& rt) { return std::make_unique<DatagramCore>(rt, uses); };
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

TEST(SimNetDatagramTest, ADatagramCrossesBothLinksFromTheSendersPort) {
  // 30 ms from the network on one side, 20 ms on the other: one way is 50 ms, with no handshake first.
  SimNet net(1);
  NodeIndex a = net.add_node("a", link(0, 0, 30), datagram_core());
  NodeIndex b = net.add_node("b", link(0, 0, 20), datagram_core());
  net.core_as<DatagramCore>(a).send(net.endpoint(b), 1, 100);
  net.run_for(std::chrono::seconds(1));
  const auto& got = net.core_as<DatagramCore>(b).received;
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].from, net.endpoint(a));
  EXPECT_EQ(got[0].bytes.size(), 100u);
  EXPECT_NEAR(to_millis(got[0].at.time_since_epoch()), 50.0, 0.01);
  EXPECT_EQ(net.datagrams(a).sent, 1u);
  EXPECT_EQ(net.datagrams(b).received, 1u);
}

TEST(SimNetDatagramTest, AnUploadCapPacesABurstOfDatagramsInOrder) {
  // 1,000 datagrams of 1,000 bytes through an 8 Mbit/s uplink: 1 MB leaves in about 1 s (less the bucket's
  // 16 KiB burst), and none is lost or reordered.
  SimNet net(1);
  NodeIndex a = net.add_node("a", link(8000, 0, 0), datagram_core());
  NodeIndex b = net.add_node("b", link(0, 0, 0), datagram_core());
  net.core_as<DatagramCore>(a).send(net.endpoint(b), 1000, 1000);
  net.run_for(std::chrono::seconds(3));
  const auto& got = net.core_as<DatagramCore>(b).received;
  ASSERT_EQ(got.size(), 1000u);
  for (std::size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i].bytes[0], static_cast<std::uint8_t>(i));
  EXPECT_NEAR(to_seconds(got.back().at.time_since_epoch()), 1.0, 0.03);
  EXPECT_EQ(net.datagrams(a).dropped, 0u);
}

TEST(SimNetDatagramTest, ALossyLinkDropsItsFractionAndTheSeedFixesWhich) {
  // 10,000 datagrams over a link losing 30 %: the count lost is binomial (sd 46), so 2 points is > 4 sd.
  auto run = [](std::uint64_t seed) {
    SimNet net(seed);
    NodeIndex a = net.add_node("a", link(0, 0, 5, 0.3), datagram_core());
    NodeIndex b = net.add_node("b", link(0, 0, 5), datagram_core());
    net.core_as<DatagramCore>(a).send(net.endpoint(b), 10'000, 8);
    net.run_for(std::chrono::seconds(1));
    EXPECT_EQ(net.datagrams(a).sent + net.datagrams(a).dropped, 10'000u);
    EXPECT_EQ(net.datagrams(b).received, net.datagrams(a).sent);
    EXPECT_NEAR(static_cast<double>(net.datagrams(a).dropped) / 10'000, 0.3, 0.02);
    Bytes firsts;
    for (const auto& d : net.core_as<DatagramCore>(b).received) firsts.push_back(d.bytes[0]);
    return firsts;
  };
  EXPECT_EQ(run(7), run(7));
  EXPECT_NE(run(7), run(8));
}

TEST(SimNetDatagramTest, NothingReachesACoreWithoutDatagramsOrADeadNode) {
  SimNet net(1);
  NodeIndex a = net.add_node("a", link(0, 0, 5), datagram_core());
  NodeIndex deaf = net.add_node("deaf", link(0, 0, 5), datagram_core(false));
  NodeIndex b = net.add_node("b", link(0, 0, 5), datagram_core());
  auto& sender = net.core_as<DatagramCore>(a);
  sender.send(net.endpoint(deaf), 10, 8);
  net.core_as<DatagramCore>(deaf).send(net.endpoint(a), 10, 8);  // it has no datagram port to send from
  net.kill(b);
  sender.send(net.endpoint(b), 10, 8);
  sender.send(Endpoint{"127.9.9.9", 6000}, 10, 8);  // nobody there
  net.run_for(std::chrono::seconds(1));
  EXPECT_TRUE(net.core_as<DatagramCore>(deaf).received.empty());
  EXPECT_EQ(net.datagrams(deaf).received, 0u);
  EXPECT_TRUE(sender.received.empty());
  EXPECT_EQ(net.datagrams(a).sent, 30u);  // they left; nobody hears they went nowhere

  net.restart(b);
  sender.send(net.endpoint(b), 1, 8);
  net.run_for(std::chrono::seconds(1));
  EXPECT_EQ(net.core_as<DatagramCore>(b).received.size(), 1u);
}

TEST(SimNetDatagramTest, AnOversizedDatagramIsRefusedAndCounted) {
  SimNet net(1);
  NodeIndex a = net.add_node("a", link(1000, 0, 5), datagram_core());
  NodeIndex b = net.add_node("b", link(0, 0, 5), datagram_core());
  auto& sender = net.core_as<DatagramCore>(a);
  sender.send(net.endpoint(b), 1, kMaxDatagramBytes + 1);
  sender.send(net.endpoint(b), 1, kMaxDatagramBytes);  // the largest passes, in debt to the bucket
  net.run_for(std::chrono::seconds(2));
  EXPECT_EQ(net.datagrams(a).dropped, 1u);
  ASSERT_EQ(net.core_as<DatagramCore>(b).received.size(), 1u);
  EXPECT_EQ(net.core_as<DatagramCore>(b).received[0].bytes.size(), kMaxDatagramBytes);
}

TEST(SimNetDatagramTest, StatusRecordsCountDatagramsOfCoresThatUseThem) {
  SimNet net(1);
  NodeIndex a = net.add_node("a", link(0, 0, 5), datagram_core());
  net.add_node("echo", link(0, 0, 5), [](Runtime& rt) { return std::make_unique<EchoCore>(rt); });
  net.core_as<DatagramCore>(a).send(net.endpoint(a), 2, 8);
  net.record_status_every(std::chrono::milliseconds(500));
  net.run_for(std::chrono::milliseconds(600));
  int statuses = 0;
  for (const auto& r : net.records()) {
    if (r["kind"] != "status") continue;
    ++statuses;
    if (r["node"] == "a") {
      EXPECT_EQ(r["sys"]["datagrams"], (nlohmann::json{{"sent", 2}, {"received", 2}, {"dropped", 0}}));
    } else {
      EXPECT_FALSE(r["sys"].contains("datagrams"));
    }
  }
  EXPECT_EQ(statuses, 2);
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
