// The Transport on real loopback TCP: framing across reads, 1,000 connections, bad frames, vanished peers,
// shaping.
#include "common/host/transport.h"

#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "tests/support/echo_core.h"

extern char** environ;

namespace p2p {
namespace {

using testing::EchoCore;

// One side of a test: a Transport plus a record of what it reported.
struct Side {
  Side(Reactor& reactor, LinkConfig link = {}, std::size_t max_frame = 1 << 20)
      : transport(reactor, link,
                  Transport::Handlers{
                      [max_frame](ConnId, bool) { return std::make_unique<LengthPrefixFramer>(max_frame); },
                      [this](ConnId c, bool inbound, const Endpoint& remote) {
                        (inbound ? accepted : opened).push_back(c);
                        if (inbound) accepted_from.push_back(remote);
                      },
                      [this](ConnId c, ByteView f) {
                        frames[c].emplace_back(as_chars(f));
                        if (on_frame) on_frame(c, f);
                      },
                      [this](ConnId c, const std::string& reason) { closed[c] = reason; }}) {}
  Transport transport;
  std::vector<ConnId> opened, accepted;
  std::vector<Endpoint> accepted_from;
  std::map<ConnId, std::vector<std::string>> frames;
  std::map<ConnId, std::string> closed;
  std::function<void(ConnId, ByteView)> on_frame;
  struct Datagram {
    Endpoint from;
    std::size_t size;
    TimePoint at;
  };
  std::vector<Datagram> datagrams;
};

class TransportTest : public ::testing::Test {
 protected:
  // Runs the loop until `done` or `limit`; true if `done` held.
  bool run_until(const std::function<bool()>& done, Duration limit = std::chrono::seconds(5)) {
    TimePoint deadline = reactor.now() + limit;
    while (!done() && reactor.now() < deadline) reactor.run_for(std::chrono::milliseconds(5));
    return done();
  }
  Endpoint listen(Side& side) {
    auto port = side.transport.listen("127.0.0.1", 0);
    EXPECT_TRUE(port.ok());
    return Endpoint{"127.0.0.1", *port};
  }
  // Listens and opens the datagram port at the same address and port.
  Endpoint open_datagrams(Side& side) {
    Endpoint where = listen(side);
    Status opened = side.transport.open_datagrams(where, Rng(1), [&](const Endpoint& from, ByteView bytes) {
      side.datagrams.push_back({from, bytes.size(), reactor.now()});
    });
    EXPECT_TRUE(opened.ok()) << (opened.ok() ? "" : opened.reason());
    return where;
  }
  // The client dials the server, sends four 16 KiB frames and closes at once; true once the server has seen
  // the close.
  bool send_64_kib_and_close(Side& server, Side& client) {
    Endpoint where = listen(server);
    ConnId conn = client.transport.connect(where);
    if (!run_until([&] { return client.opened.size() == 1; })) return false;
    for (int i = 0; i < 4; ++i) client.transport.send(conn, EchoCore::frame(16 * 1024));
    client.transport.close(conn, "done");
    return run_until([&] { return server.closed.size() == 1; });
  }

  Reactor reactor;
};

TEST_F(TransportTest, FramesSplitAtEveryByteBoundaryArriveWhole) {
  // Three frames, sent as two writes split at every possible byte, with a pause between the writes.
  Side server(reactor), client(reactor);
  Endpoint where = listen(server);
  Bytes stream = EchoCore::frame(5);
  Bytes second = EchoCore::frame(0), third = EchoCore::frame(3);
  stream.insert(stream.end(), second.begin(), second.end());
  stream.insert(stream.end(), third.begin(), third.end());
  for (std::size_t split = 1; split < stream.size(); ++split) {
    ConnId conn = client.transport.connect(where);
    ASSERT_TRUE(run_until([&] { return client.opened.size() == split && server.accepted.size() == split; }));
    client.transport.send(conn, Bytes(stream.begin(), stream.begin() + static_cast<std::ptrdiff_t>(split)));
    reactor.run_for(std::chrono::milliseconds(5));
    client.transport.send(conn, Bytes(stream.begin() + static_cast<std::ptrdiff_t>(split), stream.end()));
    ConnId at_server = server.accepted.back();
    ASSERT_TRUE(run_until([&] { return server.frames[at_server].size() == 3; })) << "split at " << split;
    EXPECT_EQ(server.frames[at_server][0].size(), 9u);
    EXPECT_EQ(server.frames[at_server][1].size(), 4u);
    EXPECT_EQ(server.frames[at_server][2].size(), 7u);
    client.transport.close(conn, "next split");
  }
}

TEST_F(TransportTest, OneProcessHoldsAThousandConnections) {
  raise_fd_limit();
  Side server(reactor), client(reactor);
  Endpoint where = listen(server);
  server.on_frame = [&](ConnId c, ByteView f) { server.transport.send(c, Bytes(f.begin(), f.end())); };
  std::vector<ConnId> conns;
  for (int i = 0; i < 1000; ++i) conns.push_back(client.transport.connect(where));
  ASSERT_TRUE(run_until([&] { return server.accepted.size() == 1000 && client.opened.size() == 1000; },
                        std::chrono::seconds(20)));
  EXPECT_EQ(server.transport.connection_count(), 1000u);
  // Every one of them still carries traffic both ways.
  for (ConnId c : conns) client.transport.send(c, EchoCore::frame(8));
  auto echoed = [&] {
    std::size_t n = 0;
    for (auto& [c, f] : client.frames) n += f.size();
    return n;
  };
  ASSERT_TRUE(run_until([&] { return echoed() == 1000; }, std::chrono::seconds(20)));
}

// A plain blocking socket connected to `where`, as a client outside the project would dial.
int dial_plain(const Endpoint& where) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(where.port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to), 0);
  return fd;
}

TEST_F(TransportTest, AnInboundConnectionKnowsItsPeersPort) {
  // Logs once said "127.0.0.1:0" for every peer that dialled in; the port is the dialler's own.
  Side server(reactor);
  Endpoint where = listen(server);
  int dialler = dial_plain(where);
  sockaddr_in mine{};
  socklen_t length = sizeof mine;
  ASSERT_EQ(::getsockname(dialler, reinterpret_cast<sockaddr*>(&mine), &length), 0);
  bool accepted = run_until([&] { return server.accepted.size() == 1; });
  ::close(dialler);
  ASSERT_TRUE(accepted);
  EXPECT_EQ(server.accepted_from.at(0).host, "127.0.0.1");
  EXPECT_EQ(server.accepted_from.at(0).port, ntohs(mine.sin_port));
}

TEST_F(TransportTest, APeerThatHalfClosesStillGetsTheAnswerQueuedForIt) {
  // A client sends its request and shuts down its sending side (`nc -N`, some HTTP/1.0 clients). The
  // server's answer waits in its shaped uplink when the FIN arrives: it still leaves, then the close.
  Side server(reactor, LinkConfig{2'000'000, 0, Duration{0}});
  server.on_frame = [&](ConnId c, ByteView f) { server.transport.send(c, Bytes(f.begin(), f.end())); };
  int client = dial_plain(listen(server));
  Bytes request = EchoCore::frame(5000);
  ASSERT_EQ(::send(client, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  ASSERT_EQ(::shutdown(client, SHUT_WR), 0);
  ASSERT_TRUE(
      run_until([&] { return server.closed.size() == 1 && server.transport.connection_count() == 0; }));
  EXPECT_EQ(server.closed.begin()->second, "closed by peer");
  Bytes answer(request.size() + 1);
  std::size_t got = 0;
  ssize_t n;
  while ((n = ::recv(client, answer.data() + got, answer.size() - got, MSG_DONTWAIT)) > 0) got += n;
  ::close(client);
  EXPECT_EQ(got, request.size());
}

// CPU time of the calling thread, in seconds.
double thread_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

TEST_F(TransportTest, AListenerOutOfDescriptorsRestsInsteadOfSpinningAndServesOnceSomeAreFree) {
  // A flood of connections, or a low ulimit, leaves accept() failing with EMFILE. The listener is
  // level-triggered: still watched, it woke the loop again at once, and the node spun a core for as long as
  // the connections waited.
  Side server(reactor);
  Endpoint where = listen(server);
  std::vector<int> clients;
  for (int i = 0; i < 5; ++i) clients.push_back(dial_plain(where));  // waiting in the backlog
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  int lowest_free = ::dup(0);
  ::close(lowest_free);
  rlimit none = saved;
  none.rlim_cur = static_cast<rlim_t>(lowest_free);  // no new descriptor fits under it
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &none), 0);
  double before = thread_cpu_seconds();
  reactor.run_for(std::chrono::seconds(1));
  double used = thread_cpu_seconds() - before;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &saved), 0);
  EXPECT_LT(used, 0.5) << "the loop spun on a listener it could not serve";
  EXPECT_GT(server.transport.accept_rests(), 0u);
  EXPECT_TRUE(server.accepted.empty());
  EXPECT_TRUE(run_until([&] { return server.accepted.size() == clients.size(); }));
  for (int fd : clients) ::close(fd);
}

TEST_F(TransportTest, AClosedConnectionWhosePeerNeverReadsIsDroppedAfterItsLinger) {
  // Closing waits for the queued bytes to leave, and a peer that never reads would hold them, and the
  // connection, for ever.
  Side server(reactor);
  server.transport.close_linger = std::chrono::milliseconds(200);
  Endpoint where = listen(server);
  int client = dial_plain(where);
  ASSERT_TRUE(run_until([&] { return server.accepted.size() == 1; }));
  ConnId conn = server.accepted.at(0);
  // 16 MiB: more than both kernels' socket buffers hold, so most of it can leave only if the client reads.
  for (int i = 0; i < 64; ++i) server.transport.send(conn, EchoCore::frame(256 * 1024));
  server.transport.close(conn, "done");
  EXPECT_TRUE(run_until([&] { return server.transport.connection_count() == 0; }, std::chrono::seconds(3)));
  ::close(client);
}

TEST_F(TransportTest, AClosedConnectionOnASlowLinkStillSendsAllItQueuedToAPeerThatReads) {
  // The linger bounds a peer that takes nothing, not a slow link: a Napster upload on a modem line may
  // take minutes to leave after the core has queued its last bytes and closed.
  Side server(reactor, LinkConfig{800'000, 0, Duration{0}});  // 100 kB a second
  server.transport.close_linger = std::chrono::milliseconds(200);
  int client = dial_plain(listen(server));
  ASSERT_TRUE(run_until([&] { return server.accepted.size() == 1; }));
  Bytes frame = EchoCore::frame(60'000);
  server.transport.send(server.accepted.at(0), frame);
  server.transport.close(server.accepted.at(0), "done");
  std::size_t got = 0;
  bool ended = false;
  ASSERT_TRUE(run_until(
      [&] {
        std::uint8_t chunk[4096];
        ssize_t n;
        while ((n = ::recv(client, chunk, sizeof chunk, MSG_DONTWAIT)) > 0)
          got += static_cast<std::size_t>(n);
        ended = ended || n == 0;
        return ended;
      },
      std::chrono::seconds(5)));
  ::close(client);
  EXPECT_EQ(got, frame.size());
}

TEST_F(TransportTest, AnOversizedFrameClosesOnlyThatConnection) {
  Side server(reactor, {}, 64), client(reactor);
  Endpoint where = listen(server);
  ConnId bad = client.transport.connect(where), good = client.transport.connect(where);
  ASSERT_TRUE(run_until([&] { return server.accepted.size() == 2 && client.opened.size() == 2; }));
  client.transport.send(bad, EchoCore::frame(65));
  ASSERT_TRUE(run_until([&] { return server.closed.size() == 1 && client.closed.contains(bad); }));
  EXPECT_NE(server.closed.begin()->second.find("framing error"), std::string::npos);
  EXPECT_EQ(client.closed[bad], "closed by peer");
  client.transport.send(good, EchoCore::frame(64));
  ASSERT_TRUE(run_until([&] {
    for (auto& [c, f] : server.frames) {
      if (!f.empty()) return true;
    }
    return false;
  }));
  EXPECT_FALSE(client.closed.contains(good));
}

TEST_F(TransportTest, APeerKilledWithSigkillIsReportedClosed) {
  Side server(reactor);
  Endpoint where = listen(server);
  std::string echo = std::string(std::getenv("P2P_BIN")) + "/p2p-echo";
  std::string dial = where.str();
  const char* argv[] = {echo.c_str(), "--dial", dial.c_str(), "--log-level", "error", nullptr};
  pid_t child = 0;
  ASSERT_EQ(posix_spawn(&child, echo.c_str(), nullptr, nullptr, const_cast<char**>(argv), environ), 0);
  bool up = run_until([&] { return server.accepted.size() == 1; });
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  ASSERT_TRUE(up);
  ASSERT_TRUE(run_until([&] { return server.closed.size() == 1; }, std::chrono::seconds(2)));
  EXPECT_EQ(server.closed.begin()->second, "closed by peer");
}

TEST_F(TransportTest, ARefusedConnectIsReportedAndNeverRetried) {
  // Nothing listens on port 1 of a test machine: the refusal is reported at once, long before the timeout.
  Side client(reactor);
  Endpoint nobody{"127.0.0.1", 1};
  ConnId conn = client.transport.connect(nobody);
  ASSERT_TRUE(run_until([&] { return client.closed.contains(conn); }, std::chrono::seconds(2)));
  EXPECT_EQ(client.closed[conn], "connect failed: connection refused");
  // Nothing is left dialling behind the core's back.
  EXPECT_EQ(client.transport.connection_count(), 0u);
}

TEST_F(TransportTest, AClosedOutboundConnectionIsNotReconnectedBehindTheCoresBack) {
  Side server(reactor), client(reactor);
  Endpoint where = listen(server);
  ConnId conn = client.transport.connect(where);
  ASSERT_TRUE(run_until([&] { return server.accepted.size() == 1 && client.opened.size() == 1; }));
  // The server hangs up; ZeroMQ, which once carried these connections, would have dialled again.
  server.transport.close(server.accepted[0], "go away");
  ASSERT_TRUE(run_until([&] { return client.closed.contains(conn); }));
  reactor.run_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(server.accepted.size(), 1u);
  EXPECT_EQ(client.transport.connection_count(), 0u);
  EXPECT_EQ(server.transport.connection_count(), 0u);
}

TEST_F(TransportTest, APeerClosingOneConnectionSparesItsSiblingsToTheSameEndpoint) {
  // libzmq, which once carried these connections, ended every connection to an endpoint when one of them
  // was closed by the peer.
  Side server(reactor), client(reactor);
  Endpoint where = listen(server);
  server.on_frame = [&](ConnId c, ByteView f) { server.transport.send(c, Bytes(f.begin(), f.end())); };
  ConnId first = client.transport.connect(where), second = client.transport.connect(where);
  ASSERT_TRUE(run_until([&] { return server.accepted.size() == 2 && client.opened.size() == 2; }));
  server.transport.close(server.accepted[0], "just this one");
  ASSERT_TRUE(run_until([&] { return client.closed.size() == 1; }));
  EXPECT_TRUE(client.closed.contains(first) || client.closed.contains(second));
  ConnId survivor = client.closed.contains(first) ? second : first;
  client.transport.send(survivor, EchoCore::frame(8));
  ASSERT_TRUE(run_until([&] { return client.frames[survivor].size() == 1; }));
  EXPECT_EQ(client.closed.size(), 1u);
}

TEST_F(TransportTest, ACoreMayCloseAConnectionFromInsideOnFrame) {
  // Three frames arrive in one read; the server closes on the first. The rest are never delivered, and the
  // connection's buffer outlives the callback that was reading it (a use-after-free before the fix).
  Side server(reactor), client(reactor);
  Endpoint where = listen(server);
  server.on_frame = [&](ConnId c, ByteView) { server.transport.close(c, "bad message: first frame"); };
  ConnId conn = client.transport.connect(where);
  ASSERT_TRUE(run_until([&] { return client.opened.size() == 1; }));
  Bytes three = EchoCore::frame(10), more = EchoCore::frame(20);
  three.insert(three.end(), more.begin(), more.end());
  three.insert(three.end(), more.begin(), more.end());
  client.transport.send(conn, three);
  ASSERT_TRUE(run_until([&] { return client.closed.contains(conn) && server.closed.size() == 1; }));
  EXPECT_EQ(server.frames.begin()->second.size(), 1u);
  EXPECT_EQ(server.closed.begin()->second, "bad message: first frame");
}

TEST_F(TransportTest, AGracefulCloseDeliversQueuedBytesFirst) {
  // A shaped sender queues 64 KiB and closes at once: the receiver gets every byte, then the close.
  Side server(reactor), client(reactor, LinkConfig{2'000'000, 0, Duration{0}});
  ASSERT_TRUE(send_64_kib_and_close(server, client));
  EXPECT_EQ(server.frames.begin()->second.size(), 4u);
}

TEST_F(TransportTest, AReceiverWithADownloadCapGetsEveryByteBeforeThePeersClose) {
  // The sender is fast and closes at once; the receiver's 1 Mbit/s downlink still holds most of the 64 KiB
  // when the close arrives. It gets every byte, then the close (an HTTP upload closes like this).
  Side server(reactor, LinkConfig{0, 1'000'000, Duration{0}}), client(reactor);
  ASSERT_TRUE(send_64_kib_and_close(server, client));
  EXPECT_EQ(server.closed.begin()->second, "closed by peer");
  EXPECT_EQ(server.frames.begin()->second.size(), 4u);
}

// Shaper accuracy on real TCP: a sender capped at `bps` streams for 5.5 s; the receiver counts what arrives
// between 0.5 s and 5.5 s, after the first burst.
double measured_bps(std::uint64_t bps) {
  Reactor reactor;
  Side server(reactor), client(reactor, LinkConfig{bps, 0, Duration{0}});
  Endpoint where{"127.0.0.1", *server.transport.listen("127.0.0.1", 0)};
  ConnId conn = client.transport.connect(where);
  while (client.opened.empty()) reactor.run_for(std::chrono::milliseconds(5));
  std::size_t received = 0;
  TimePoint start = reactor.now();
  TimePoint from = start + std::chrono::milliseconds(500), to = from + std::chrono::seconds(5);
  server.on_frame = [&](ConnId, ByteView f) {
    if (reactor.now() >= from && reactor.now() < to) received += f.size();
  };
  while (reactor.now() < to) {
    // Keep about a quarter second of data queued, so the link never idles.
    while (client.transport.queued_bytes(conn) < bps / 8 / 4)
      client.transport.send(conn, EchoCore::frame(4096 - 4));
    reactor.run_for(std::chrono::milliseconds(10));
  }
  return static_cast<double>(received) * 8 / 5.0;
}

TEST(ShaperAccuracyTest, OneMegabitCapIsHeldWithinTenPercent) {
  double bps = measured_bps(1'000'000);
  std::cout << "[ figures  ] 1 Mbit/s cap measured " << bps / 1e6 << " Mbit/s\n";
  EXPECT_NEAR(bps, 1e6, 1e5);
}

TEST(ShaperAccuracyTest, EightMegabitCapIsHeldWithinTenPercent) {
  double bps = measured_bps(8'000'000);
  std::cout << "[ figures  ] 8 Mbit/s cap measured " << bps / 1e6 << " Mbit/s\n";
  EXPECT_NEAR(bps, 8e6, 8e5);
}

TEST_F(TransportTest, AddedLatencyIsFiftyMillisecondsWithinFive) {
  // The sender's link adds 50 ms one way; both ends share this process's clock, so one-way delay is measured.
  Side server(reactor), client(reactor, LinkConfig{0, 0, std::chrono::milliseconds(50)});
  Endpoint where = listen(server);
  ConnId conn = client.transport.connect(where);
  ASSERT_TRUE(run_until([&] { return client.opened.size() == 1; }));
  std::vector<double> delays;
  TimePoint sent_at;
  server.on_frame = [&](ConnId, ByteView) { delays.push_back(to_millis(reactor.now() - sent_at)); };
  for (int i = 0; i < 10; ++i) {
    sent_at = reactor.now();
    client.transport.send(conn, EchoCore::frame(32));
    ASSERT_TRUE(run_until([&] { return delays.size() == static_cast<std::size_t>(i + 1); }));
  }
  std::sort(delays.begin(), delays.end());
  std::cout << "[ figures  ] one-way delay median " << delays[5] << " ms\n";
  EXPECT_NEAR(delays[5], 50.0, 5.0);
}

TEST_F(TransportTest, DatagramsGoBetweenListeningPortsBothWays) {
  Side server(reactor), client(reactor);
  Endpoint server_at = open_datagrams(server), client_at = open_datagrams(client);
  for (int i = 0; i < 3; ++i) client.transport.send_datagram(server_at, Bytes(100 + i, 1));
  ASSERT_TRUE(run_until([&] { return server.datagrams.size() == 3; }));
  EXPECT_EQ(server.datagrams[0].from, client_at);  // a BEP 5 node is reached at the port it sends from
  EXPECT_EQ(server.datagrams[2].size, 102u);
  server.transport.send_datagram(server.datagrams[0].from, Bytes(10, 2));
  ASSERT_TRUE(run_until([&] { return client.datagrams.size() == 1; }));
  EXPECT_EQ(client.datagrams[0].from, server_at);
  EXPECT_EQ(client.transport.datagrams().sent, 3u);
  EXPECT_EQ(server.transport.datagrams().received, 3u);
  EXPECT_EQ(client.transport.bytes_sent(), 303u);
}

TEST_F(TransportTest, AnUploadCapSpreadsABurstOfDatagrams) {
  // 100 datagrams of 1,000 bytes at once through 800 kbit/s: after the bucket's 16 KiB burst, the other
  // 83,616 bytes take 0.84 s. Unshaped, they all arrive within milliseconds.
  Side server(reactor), client(reactor, LinkConfig{800'000, 0, Duration{0}, 0});
  Endpoint server_at = open_datagrams(server);
  open_datagrams(client);
  TimePoint start = reactor.now();
  for (int i = 0; i < 100; ++i) client.transport.send_datagram(server_at, Bytes(1000, 3));
  ASSERT_TRUE(run_until([&] { return server.datagrams.size() == 100; }));
  double first = to_seconds(server.datagrams.front().at - start);
  double last = to_seconds(server.datagrams.back().at - start);
  std::cout << "[ figures  ] 100 kB of datagrams at 800 kbit/s: first after " << first << " s, last after "
            << last << " s\n";
  EXPECT_LT(first, 0.1);
  EXPECT_NEAR(last, 0.84, 0.1);
}

TEST_F(TransportTest, ALinkLosingEverythingDropsEveryDatagram) {
  Side server(reactor), client(reactor, LinkConfig{0, 0, Duration{0}, 1.0});
  Endpoint server_at = open_datagrams(server), client_at = open_datagrams(client);
  for (int i = 0; i < 50; ++i) client.transport.send_datagram(server_at, Bytes(100, 4));
  server.transport.send_datagram(client_at, Bytes(100, 5));  // the other way is not lossy
  ASSERT_TRUE(run_until([&] { return client.datagrams.size() == 1; }));
  reactor.run_for(std::chrono::milliseconds(100));
  EXPECT_TRUE(server.datagrams.empty());
  EXPECT_EQ(client.transport.datagrams().dropped, 50u);
  EXPECT_EQ(client.transport.datagrams().sent, 0u);
}

TEST_F(TransportTest, AnOversizedDatagramIsRefusedAndTheLargestPasses) {
  Side server(reactor), client(reactor);
  Endpoint server_at = open_datagrams(server);
  open_datagrams(client);
  client.transport.send_datagram(server_at, Bytes(kMaxDatagramBytes + 1, 6));
  client.transport.send_datagram(server_at, Bytes(kMaxDatagramBytes, 7));
  ASSERT_TRUE(run_until([&] { return server.datagrams.size() == 1; }));
  EXPECT_EQ(server.datagrams[0].size, kMaxDatagramBytes);
  EXPECT_EQ(client.transport.datagrams().dropped, 1u);
}

}  // namespace
}  // namespace p2p
