// Reactor: timers fire in order, periodic timers repeat, cancelled ones never fire, posted calls run from the
// loop, and a signal that interrupts the poll is no error.
#include "common/host/reactor.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <thread>

namespace p2p {
namespace {

TEST(ReactorTest, OneShotTimersFireOnceInTimeOrder) {
  Reactor reactor;
  std::vector<int> fired;
  reactor.after(std::chrono::milliseconds(30), [&] { fired.push_back(30); });
  reactor.after(std::chrono::milliseconds(10), [&] { fired.push_back(10); });
  reactor.after(std::chrono::milliseconds(20), [&] { fired.push_back(20); });
  reactor.run_for(std::chrono::milliseconds(100));
  EXPECT_EQ(fired, (std::vector<int>{10, 20, 30}));
}

TEST(ReactorTest, APeriodicTimerRepeatsUntilCancelled) {
  Reactor reactor;
  int ticks = 0;
  TimerId timer = reactor.every(std::chrono::milliseconds(10), [&] { ++ticks; });
  reactor.after(std::chrono::milliseconds(105), [&] { reactor.cancel(timer); });
  reactor.run_for(std::chrono::milliseconds(200));
  EXPECT_GE(ticks, 8);  // about 10, with room for a loaded machine
  EXPECT_LE(ticks, 11);
}

TEST(ReactorTest, ACancelledTimerNeverFiresAndATimerMayCancelItself) {
  Reactor reactor;
  bool fired = false;
  TimerId doomed = reactor.after(std::chrono::milliseconds(10), [&] { fired = true; });
  reactor.cancel(doomed);
  int self_ticks = 0;
  TimerId self{};
  self = reactor.every(std::chrono::milliseconds(5), [&] {
    ++self_ticks;
    reactor.cancel(self);
  });
  reactor.run_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(fired);
  EXPECT_EQ(self_ticks, 1);
}

TEST(ReactorTest, PostedCallsRunAfterTheCurrentCallbackAndStopEndsRun) {
  Reactor reactor;
  std::vector<std::string> order;
  reactor.after(Duration{0}, [&] {
    reactor.post([&] { order.push_back("posted"); });
    order.push_back("timer");
  });
  reactor.after(std::chrono::milliseconds(20), [&] { reactor.stop(); });
  reactor.run();
  EXPECT_EQ(order, (std::vector<std::string>{"timer", "posted"}));
}

TEST(ReactorTest, ASocketCallbackRunsWhenAMessageArrives) {
  zmq::context_t ctx;
  zmq::socket_t pull(ctx, zmq::socket_type::pull), push(ctx, zmq::socket_type::push);
  pull.bind("inproc://reactor-test");
  push.connect("inproc://reactor-test");
  Reactor reactor;
  std::string got;
  reactor.add_socket(pull, [&] {
    zmq::message_t m;
    if (pull.recv(m, zmq::recv_flags::dontwait)) got = m.to_string();
    reactor.stop();
  });
  push.send(zmq::str_buffer("hello"), zmq::send_flags::none);
  reactor.after(std::chrono::seconds(2), [&] { reactor.stop(); });
  reactor.run();
  EXPECT_EQ(got, "hello");
}

TEST(ReactorTest, ACallbackThatReadsOneMessageAtATimeGetsThemAll) {
  // The callback need not drain its socket: the reactor looks at ZMQ_EVENTS again after each call.
  zmq::context_t ctx;
  zmq::socket_t pull(ctx, zmq::socket_type::pull), push(ctx, zmq::socket_type::push);
  pull.bind("inproc://reactor-one-at-a-time");
  push.connect("inproc://reactor-one-at-a-time");
  Reactor reactor;
  int got = 0;
  reactor.add_socket(
      pull,
      [&] {
        zmq::message_t m;
        if (pull.recv(m, zmq::recv_flags::dontwait) && ++got == 5) reactor.stop();
      },
      SocketUse::callback_only);
  for (int i = 0; i < 5; ++i) push.send(zmq::str_buffer("m"), zmq::send_flags::none);
  reactor.after(std::chrono::seconds(2), [&] { reactor.stop(); });
  reactor.run();
  EXPECT_EQ(got, 5);
}

TEST(ReactorTest, ASharedSocketIsReadAfterASendTookItsWakeUp) {
  // Once the loop sleeps, a message arrives and a timer sends on the same socket before the next poll. The
  // send processes the socket's pending commands, so its descriptor no longer fires; a shared socket is
  // still read (a callback_only one would wait here for the next event).
  zmq::context_t ctx;
  zmq::socket_t ours(ctx, zmq::socket_type::pair), theirs(ctx, zmq::socket_type::pair);
  ours.bind("inproc://reactor-shared");
  theirs.connect("inproc://reactor-shared");
  Reactor reactor;
  std::string got;
  reactor.add_socket(ours, [&] {
    zmq::message_t m;
    if (ours.recv(m, zmq::recv_flags::dontwait)) got = m.to_string();
    reactor.stop();
  });
  reactor.after(std::chrono::milliseconds(20), [&] {
    (void)theirs.send(zmq::str_buffer("hello"), zmq::send_flags::none);
    (void)ours.send(zmq::str_buffer("ping"), zmq::send_flags::dontwait);
  });
  reactor.after(std::chrono::seconds(2), [&] { reactor.stop(); });
  auto start = std::chrono::steady_clock::now();
  reactor.run();
  EXPECT_EQ(got, "hello");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

TEST(ReactorTest, ASignalDuringThePollIsNoError) {
  // A handler installed without SA_RESTART (as ncurses installs its SIGWINCH handler) makes the poll fail
  // with EINTR; the loop must carry on and still fire its timers.
  struct sigaction quiet {
  }, old{};
  quiet.sa_handler = [](int) {};
  ASSERT_EQ(::sigaction(SIGUSR1, &quiet, &old), 0);
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  Reactor reactor;
  reactor.add_fd(fds[0], [] {});  // a real poll: with nothing to watch it would only sleep
  bool fired = false;
  reactor.after(std::chrono::milliseconds(300), [&] {
    fired = true;
    reactor.stop();
  });
  pthread_t loop = ::pthread_self();
  std::thread signaller([loop] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ::pthread_kill(loop, SIGUSR1);
  });
  EXPECT_NO_THROW(reactor.run());
  signaller.join();
  EXPECT_TRUE(fired);
  ::sigaction(SIGUSR1, &old, nullptr);
  ::close(fds[0]);
  ::close(fds[1]);
}

}  // namespace
}  // namespace p2p
