// Endpoint parsing: the one place addresses typed by users and read from the wire become numbers.
#include "common/net/endpoint.h"

#include <gtest/gtest.h>

namespace p2p {
namespace {

TEST(EndpointTest, ParsesHostPortAndZmqForms) {
  auto a = Endpoint::parse("127.0.0.1:6699");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->port, 6699);
  EXPECT_EQ(a->ipv4(), 0x7f000001u);
  EXPECT_EQ(Endpoint::parse("tcp://127.0.0.2:1")->host, "127.0.0.2");
  EXPECT_EQ(Endpoint::parse("localhost:80")->host, "127.0.0.1");
}

TEST(EndpointTest, RefusesMalformedText) {
  for (const char* bad : {"", "127.0.0.1", "127.0.0.1:", "127.0.0.1:70000", "1.2.3:4", "1.2.3.256:5",
                          "a.b.c.d:1", "1.2.3.4:5x", "1.2.3.4.5:6", ".1.2.3:4", "1..2.3:4", "1.2.3.:4",
                          "-1.2.3.4:5", "+1.2.3.4:5", " 1.2.3.4:5", "1.2.3.99999999999:5"}) {
    EXPECT_FALSE(Endpoint::parse(bad).ok()) << bad;
  }
}

TEST(EndpointTest, RoundTripsThroughANumber) {
  Endpoint e = Endpoint::from_ipv4(0xc0a80001, 6346);
  EXPECT_EQ(e.str(), "192.168.0.1:6346");
  EXPECT_EQ(e.ipv4(), 0xc0a80001u);
  EXPECT_EQ(Endpoint::from_ipv4(0, 1).host, "0.0.0.0");
  EXPECT_EQ(Endpoint::from_ipv4(0xffffffff, 1).host, "255.255.255.255");
  EXPECT_EQ(Endpoint::from_ipv4(0xffffffff, 1).ipv4(), 0xffffffffu);
}

}  // namespace
}  // namespace p2p
