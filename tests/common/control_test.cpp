// The launcher's control messages as a node decodes them (common/telemetry/control.h).
#include "common/telemetry/control.h"

#include <gtest/gtest.h>

namespace p2p::telemetry {
namespace {

TEST(ControlMessageTest, StopLeaveAndRateDecode) {
  EXPECT_EQ(decode_control(R"({"cmd":"stop"})")->kind, ControlCommand::Kind::Stop);
  EXPECT_EQ(decode_control(R"({"cmd":"leave"})")->kind, ControlCommand::Kind::Leave);
  auto rate = decode_control(R"({"cmd":"rate","up_kbps":512,"latency_ms":40,"loss":0.25})");
  ASSERT_TRUE(rate);
  EXPECT_EQ(rate->kind, ControlCommand::Kind::Rate);

  LinkConfig link{.up_bps = 1000, .down_bps = 2000, .latency = milliseconds(5), .loss = 0};
  LinkConfig changed = apply_rate(*rate, link);
  EXPECT_EQ(changed.up_bps, 512'000u);
  EXPECT_EQ(changed.down_bps, 2000u);  // not given: kept
  EXPECT_EQ(changed.latency, milliseconds(40));
  EXPECT_DOUBLE_EQ(changed.loss, 0.25);
}

// Found while writing labs_control_fuzz: the node read "cmd" and the rate fields with json::value(), which
// throws on a field of another type, so {"cmd":5} or a string up_kbps ended the node with an uncaught
// exception; and a huge up_kbps was cast to an integer out of its range.
TEST(ControlMessageTest, FieldsOfTheWrongTypeOrRangeAreRefusedNotThrown) {
  for (const char* body : {R"({"cmd":5})", R"({"cmd":"rate","up_kbps":"fast"})",
                           R"({"cmd":"rate","down_kbps":null})", R"({"cmd":"rate","latency_ms":[1]})",
                           R"({"cmd":"rate","up_kbps":1e300})", R"({"cmd":"rate","latency_ms":1e300})",
                           R"({"cmd":"rate","up_kbps":-5})", R"({"cmd":"rate","loss":1.5})"}) {
    auto command = decode_control(body);
    EXPECT_FALSE(command) << body;
  }
}

TEST(ControlMessageTest, WhatIsNotACommandObjectIsRefusedWithAReason) {
  for (const char* body : {"", "not json", "[1,2]", R"({"node":"peer-3"})", R"({"cmd":"dance"})"}) {
    auto command = decode_control(body);
    ASSERT_FALSE(command) << body;
    EXPECT_FALSE(command.reason().empty()) << body;
  }
  EXPECT_NE(decode_control(R"({"cmd":"dance"})").reason().find("dance"), std::string::npos);
}

}  // namespace
}  // namespace p2p::telemetry
