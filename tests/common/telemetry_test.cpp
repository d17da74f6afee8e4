// Telemetry records: the schema's fields and validation.
#include "common/telemetry/schema.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace p2p::telemetry
