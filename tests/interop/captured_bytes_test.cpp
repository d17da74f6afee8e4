// CapturedBytes: a resent segment is held only if it repeats, byte for byte, what its direction carried.
#include "tests/interop/captured_bytes.h"

#include <gtest/gtest.h>

#include <string>

namespace p2p::interop {
namespace {

// One direction that carried "PING" at 1-4 and "QUERY" at 5-9, the way a capture lists them.
class CapturedBytesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    seen_.record("7:40001", 1, as_bytes("PING"));
    seen_.record("7:40001", 5, as_bytes("QUERY"));
  }
  CapturedBytes seen_;
};

TEST_F(CapturedBytesTest, HoldsASegmentResentAsItWas) {
  EXPECT_TRUE(seen_.holds("7:40001", 5, as_bytes("QUERY")));
}

TEST_F(CapturedBytesTest, HoldsAResendThatJoinsTwoSegmentsOrRepeatsPartOfOne) {
  EXPECT_TRUE(seen_.holds("7:40001", 1, as_bytes("PINGQUERY")));
  EXPECT_TRUE(seen_.holds("7:40001", 3, as_bytes("NGQU")));
}

TEST_F(CapturedBytesTest, DoesNotHoldAResendWithAChangedByte) {
  EXPECT_FALSE(seen_.holds("7:40001", 5, as_bytes("QUARY")));
}

TEST_F(CapturedBytesTest, DoesNotHoldBytesThatDirectionNeverCarried) {
  EXPECT_FALSE(seen_.holds("7:40001", 5, as_bytes("QUERY!")));  // runs past the last byte seen
  EXPECT_FALSE(seen_.holds("7:40002", 1, as_bytes("PING")));    // the other direction
  seen_.record("7:40001", 20, as_bytes("PONG"));  // 10-19 never went by, though the buffer now spans them
  EXPECT_FALSE(seen_.holds("7:40001", 10, as_bytes(std::string(10, '\0'))));
}

}  // namespace
}  // namespace p2p::interop
