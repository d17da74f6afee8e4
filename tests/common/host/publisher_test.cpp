// Telemetry over ZeroMQ: a record's trip from Publisher to Subscriber.
#include "common/host/publisher.h"

#include <gtest/gtest.h>

#include <thread>

#include "common/telemetry/schema.h"

namespace p2p::telemetry {
namespace {

TEST(TelemetryPubSubTest, ASubscriberReceivesPublishedRecords) {
  zmq::context_t ctx;
  zmq::socket_t collector(ctx, zmq::socket_type::xsub), fanout(ctx, zmq::socket_type::xpub);
  collector.bind("inproc://telemetry-in");
  fanout.bind("inproc://telemetry-out");
  Subscriber subscriber(ctx, "inproc://telemetry-out");
  Publisher publisher(ctx, "inproc://telemetry-in");
  // A minimal proxy: subscriptions upstream, records downstream.
  auto forward = [](zmq::socket_t& from, zmq::socket_t& to) {
    zmq::message_t m;
    while (from.recv(m, zmq::recv_flags::dontwait)) to.send(m, zmq::send_flags::none);
  };
  auto record = make_event({"peer-1", "napster", "peer"}, 1.0, "hello", {{"n", 1}});
  std::optional<nlohmann::json> got;
  for (int i = 0; i < 200 && !got; ++i) {
    forward(fanout, collector);
    publisher.publish(record);
    forward(collector, fanout);
    got = subscriber.receive();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ((*got)["event"], "hello");
}

}  // namespace
}  // namespace p2p::telemetry
