// Telemetry records: the schema's fields and validation, and the lenient field readers.
#include "common/telemetry/schema.h"

#include <gtest/gtest.h>

#include <limits>

#include "common/telemetry/fields.h"

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

TEST(TelemetryFieldsTest, AWholeNumberIsReadOnlyWhereAnIntegerHoldsIt) {
  // Found by tests/fuzz/run-long: a "pid" of 5.8e107 in a dashboard record was converted to an integer,
  // which is undefined.
  nlohmann::json record = {{"pid", 4242.0}, {"ttl", -3},       {"big", 5.77778e107},
                           {"text", "12"},  {"exact", 9.0e15}, {"max", std::numeric_limits<double>::max()}};
  EXPECT_EQ(whole_at(record, "pid"), 4242);
  EXPECT_EQ(whole_at(record, "ttl"), -3);
  EXPECT_EQ(whole_at(record, "exact"), 9'000'000'000'000'000);
  for (const char* key : {"big", "text", "max", "missing"}) EXPECT_FALSE(whole_at(record, key)) << key;
}

}  // namespace
}  // namespace p2p::telemetry
