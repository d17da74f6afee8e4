// HTTP/1.1 heads: responses with their status and length, and malformed or oversized heads rejected.
#include "common/http/message.h"

#include <gtest/gtest.h>

#include <string>

namespace p2p::http {
namespace {

std::string rejection(std::string_view text) {
  auto parsed = parse_request(text);
  return parsed.ok() ? std::string("accepted") : parsed.reason();
}

TEST(HttpMessageTest, AnotherNodesResponseReadsWithItsVersionAndReason) {
  // Another servent's answer, HTTP/1.0 with a reason of its own.
  auto other = parse_response("HTTP/1.0 503 Busy, try later\r\nContent-Length: 0\r\n\r\n");
  ASSERT_TRUE(other.ok()) << other.reason();
  EXPECT_EQ(other->minor_version, 0);
  EXPECT_EQ(other->status, 503);
  EXPECT_EQ(other->reason, "Busy, try later");
  EXPECT_EQ(other->header("content-length"), "0");
}

TEST(HttpMessageTest, ContentLengthMustBePlainDigits) {
  auto length_of = [](std::string value) {
    Response response{1, 200, "OK", {{"Content-Length", value}}};
    auto length = response.content_length();
    return length.ok() ? std::to_string(*length) : length.reason();
  };
  EXPECT_EQ(length_of("1024"), "1024");
  EXPECT_NE(length_of("-1").find("bad Content-Length"), std::string::npos);
  EXPECT_NE(length_of("12abc").find("bad Content-Length"), std::string::npos);
  EXPECT_NE(length_of("99999999999999999999").find("bad Content-Length"), std::string::npos);
  EXPECT_NE(length_of("").find("bad Content-Length"), std::string::npos);
  EXPECT_EQ(Response{}.content_length().reason(), "no Content-Length header");
}

TEST(HttpMessageTest, MalformedHeadsAreRejectedWithAReason) {
  EXPECT_NE(rejection("GET /get/1/a HTTP/2.0\r\n\r\n").find("unsupported HTTP version"), std::string::npos);
  EXPECT_NE(rejection("GET /get/1/a\r\n\r\n").find("expected 'METHOD target HTTP/1.x'"), std::string::npos);
  EXPECT_NE(rejection("get /get/1/a HTTP/1.1\r\n\r\n").find("bad HTTP method"), std::string::npos);
  EXPECT_NE(rejection("GET get/1/a HTTP/1.1\r\n\r\n").find("bad request target"), std::string::npos);
  EXPECT_NE(rejection("GET /a b HTTP/1.1\r\n\r\n").find("bad request target"), std::string::npos);
  EXPECT_NE(rejection("GET /a HTTP/1.1\r\nHost 1\r\n\r\n").find("without a colon"), std::string::npos);
  EXPECT_NE(rejection("GET /a HTTP/1.1\r\nHost: 1\r\n").find("ends before its blank line"),
            std::string::npos);
  EXPECT_NE(rejection("GET /a HTTP/1.1\r\n\r\nmore").find("continues after the blank line"),
            std::string::npos);
  auto response = parse_response("HTTP/1.1 2000 OK\r\n\r\n");
  EXPECT_NE(response.reason().find("3-digit status code"), std::string::npos);
}

TEST(HttpMessageTest, HeadsOverTheCapsAreRejected) {
  std::string crowded = "GET /a HTTP/1.1\r\n";
  for (std::size_t i = 0; i <= kMaxHeaders; ++i) crowded += "X-" + std::to_string(i) + ": v\r\n";
  EXPECT_NE(rejection(crowded + "\r\n").find("more than 32 HTTP headers"), std::string::npos);
  std::string long_line = "GET /" + std::string(kMaxLine, 'a') + " HTTP/1.1\r\n\r\n";
  EXPECT_NE(rejection(long_line).find("exceeds the cap"), std::string::npos);
}

}  // namespace
}  // namespace p2p::http
