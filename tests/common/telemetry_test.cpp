// Telemetry records: the schema's fields, validation, and a record's trip from Publisher to Subscriber.
#include <gtest/gtest.h>

#include <thread>

#include "common/telemetry/publisher.h"
#include "common/telemetry/schema.h"

namespace p2p::telemetry {
namespace {

TEST(TelemetrySchemaTest, StatusAndEventRecordsCarryTheCommonHeader) {
  Origin peer{"peer-3", "napster", "peer"};
  auto status = make_status(peer, 12.5, LinkFigures{8000, 16000, 2}, {{"searches", 4}});
  EXPECT_EQ(status["v"], kSchemaVersion);
  EXPECT_EQ(status["kind"], "status");
  EXPECT_EQ(status["sys"]["searches"], 4);
  EXPECT_EQ(status["conns"], 2);
  EXPECT_TRUE(is_valid_record(status));

  auto event = make_event(peer, 13.0, "search_done", {{"ok", true}});
  EXPECT_EQ(event["event"], "search_done");
  EXPECT_TRUE(is_valid_record(event));
}

TEST(TelemetrySchemaTest, RecordsMissingFieldsOrOfAnotherVersionAreInvalid) {
  auto event = make_event({"n", "s", "r"}, 1.0, "x", {});
  for (const char* field : {"v", "t", "node", "system", "role", "kind", "event", "data"}) {
    auto broken = event;
    broken.erase(field);
    EXPECT_FALSE(is_valid_record(broken)) << field;
  }
  event["v"] = kSchemaVersion + 1;
  EXPECT_FALSE(is_valid_record(event));
  EXPECT_FALSE(is_valid_record(nlohmann::json::array()));
}

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
