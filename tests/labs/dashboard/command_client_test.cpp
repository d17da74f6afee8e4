// Tests of the dashboard's launcher client: replies come back, a silent launcher times out without blocking.
#include "labs/dashboard/command_client.h"

#include <gtest/gtest.h>

#include <thread>

namespace p2p::dashboard {
namespace {

using namespace std::chrono_literals;
using Clock = CommandClient::Clock;

// Polls until `count` exchanges finished or 5 s passed.
std::vector<Exchange> collect(CommandClient& client, std::size_t count) {
  std::vector<Exchange> done;
  auto deadline = Clock::now() + 5s;
  while (done.size() < count && Clock::now() < deadline) {
    for (Exchange& e : client.poll(Clock::now())) done.push_back(std::move(e));
    std::this_thread::sleep_for(5ms);
  }
  return done;
}

// A launcher stand-in: answers each request with {"ok":true,"echo":request}, after `delay` for the first one.
class FakeLauncher {
 public:
  FakeLauncher(zmq::context_t& context, int requests, std::chrono::milliseconds first_delay)
      : socket_(context, zmq::socket_type::rep) {
    socket_.set(zmq::sockopt::linger, 0);
    socket_.set(zmq::sockopt::rcvtimeo, 5000);
    socket_.bind("tcp://127.0.0.1:*");
    endpoint_ = socket_.get(zmq::sockopt::last_endpoint);
    thread_ = std::thread([this, requests, first_delay] {
      for (int i = 0; i < requests; ++i) {
        zmq::message_t request;
        if (!socket_.recv(request)) return;
        if (i == 0) std::this_thread::sleep_for(first_delay);
        std::string reply =
            nlohmann::json{{"ok", true}, {"echo", nlohmann::json::parse(request.to_string())}}.dump();
        (void)socket_.send(zmq::buffer(reply));
      }
    });
  }
  ~FakeLauncher() { thread_.join(); }
  const std::string& endpoint() const { return endpoint_; }

 private:
  zmq::socket_t socket_;
  std::string endpoint_;
  std::thread thread_;
};

TEST(CommandClientTest, QueuedRequestsAreAnsweredInOrder) {
  zmq::context_t context;
  FakeLauncher launcher(context, 2, 0ms);
  CommandClient client(context, launcher.endpoint(), 2000ms);
  client.request({{"cmd", "kill"}, {"node", "peer-1"}});
  client.request({{"cmd", "nodes"}});
  EXPECT_FALSE(client.idle());

  std::vector<Exchange> done = collect(client, 2);
  ASSERT_EQ(done.size(), 2u);
  ASSERT_TRUE(done[0].reply.ok());
  EXPECT_EQ(done[0].reply->at("echo"), (nlohmann::json{{"cmd", "kill"}, {"node", "peer-1"}}));
  EXPECT_EQ(done[1].request, (nlohmann::json{{"cmd", "nodes"}}));
  EXPECT_TRUE(client.idle());
}

TEST(CommandClientTest, ASilentLauncherTimesOutAndTheNextRequestStillGoesThrough) {
  zmq::context_t context;
  // The launcher sits on the first request for longer than the client waits.
  FakeLauncher launcher(context, 2, 600ms);
  CommandClient client(context, launcher.endpoint(), 150ms);
  client.request({{"cmd", "kill"}, {"node", "peer-1"}});

  auto started = Clock::now();
  std::vector<Exchange> first = collect(client, 1);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_FALSE(first[0].reply.ok());
  EXPECT_EQ(first[0].reply.reason(), "the launcher did not answer");
  EXPECT_LT(Clock::now() - started, 550ms);

  // The socket was replaced, so once the launcher is free again a new request is sent and answered.
  std::this_thread::sleep_for(600ms);
  client.request({{"cmd", "restart"}, {"node", "peer-1"}});
  std::vector<Exchange> second = collect(client, 1);
  ASSERT_EQ(second.size(), 1u);
  ASSERT_TRUE(second[0].reply.ok()) << second[0].reply.reason();
  EXPECT_EQ(second[0].reply->at("echo")["cmd"], "restart");
}

TEST(CommandClientTest, WithoutAnEndpointEveryRequestFailsAtOnce) {
  zmq::context_t context;
  CommandClient client(context, "", 100ms);
  client.request({{"cmd", "quit"}});
  std::vector<Exchange> done = client.poll(Clock::now());
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].reply.reason(), "no launcher command endpoint");
  EXPECT_FALSE(client.waiting_socket());
}

}  // namespace
}  // namespace p2p::dashboard
