// The HTTP heads of Gnutella downloads: the GET a downloader sends, the answers, /get/ targets, and rejects.
#include "gnutella/http.h"

#include <gtest/gtest.h>

#include <string>

namespace p2p::gnutella {
namespace {

std::string rejection(std::string_view text) {
  auto parsed = parse_http_request(text);
  return parsed.ok() ? std::string("accepted") : parsed.reason();
}

TEST(HttpTest, TheDownloadRequestIsAPlainHttp11Get) {
  HttpRequest request = file_request({12, "blue_river_song_17.mp3"}, {"127.0.0.1", 6346}, "p2plab/0.1");
  EXPECT_EQ(to_text(request),
            "GET /get/12/blue_river_song_17.mp3 HTTP/1.1\r\n"
            "User-Agent: p2plab/0.1\r\n"
            "Host: 127.0.0.1:6346\r\n"
            "Connection: close\r\n"
            "\r\n");
  // And it reads back as the same request.
  auto parsed = parse_http_request(to_text(request));
  ASSERT_TRUE(parsed.ok()) << parsed.reason();
  EXPECT_EQ(*parsed, request);
  EXPECT_EQ(parsed->header("user-agent"), "p2plab/0.1");
}

TEST(HttpTest, ResponsesCarryTheirStatusAndLength) {
  auto ok = parse_http_response(to_text(file_response(65536, "p2plab/0.1")));
  ASSERT_TRUE(ok.ok()) << ok.reason();
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->reason, "OK");
  ASSERT_TRUE(ok->content_length().ok());
  EXPECT_EQ(*ok->content_length(), 65536u);

  auto missing = parse_http_response(to_text(refusal(404, "p2plab/0.1")));
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->reason, "Not Found");
  // Another servent's answer, HTTP/1.0 with a reason of its own.
  auto other = parse_http_response("HTTP/1.0 503 Busy, try later\r\nContent-Length: 0\r\n\r\n");
  ASSERT_TRUE(other.ok()) << other.reason();
  EXPECT_EQ(other->minor_version, 0);
  EXPECT_EQ(other->reason, "Busy, try later");
}

TEST(HttpTest, ContentLengthMustBePlainDigits) {
  auto length_of = [](std::string value) {
    HttpResponse response{1, 200, "OK", {{"Content-Length", value}}};
    auto length = response.content_length();
    return length.ok() ? std::to_string(*length) : length.reason();
  };
  EXPECT_EQ(length_of("1024"), "1024");
  EXPECT_NE(length_of("-1").find("bad Content-Length"), std::string::npos);
  EXPECT_NE(length_of("12abc").find("bad Content-Length"), std::string::npos);
  EXPECT_NE(length_of("99999999999999999999").find("bad Content-Length"), std::string::npos);
  EXPECT_NE(length_of("").find("bad Content-Length"), std::string::npos);
  EXPECT_EQ(HttpResponse{}.content_length().reason(), "no Content-Length header");
}

TEST(HttpTest, GetTargetsDecodeTheirNameButDoNotJudgeIt) {
  EXPECT_EQ(parse_get_target("/get/7/song.mp3").value(), (FileRequest{7, "song.mp3"}));
  EXPECT_EQ(parse_get_target("/get/0/my%20song.mp3").value(), (FileRequest{0, "my song.mp3"}));
  // A traversal in disguise decodes to what it is; the uploader's safe-name check refuses it later.
  EXPECT_EQ(parse_get_target("/get/1/%2e%2e%2fetc%2fpasswd").value(), (FileRequest{1, "../etc/passwd"}));
  // Names are escaped on the way out, so the round trip is exact.
  FileRequest odd{3, "a b/c%d.mp3"};
  EXPECT_EQ(get_target(odd), "/get/3/a%20b%2fc%25d.mp3");
  EXPECT_EQ(parse_get_target(get_target(odd)).value(), odd);
}

TEST(HttpTest, MalformedGetTargetsAreRefused) {
  EXPECT_NE(parse_get_target("/uri-res/N2R?urn:sha1:X").reason().find("not a /get/"), std::string::npos);
  EXPECT_NE(parse_get_target("/get/x/song.mp3").reason().find("bad file index"), std::string::npos);
  EXPECT_NE(parse_get_target("/get/-1/song.mp3").reason().find("bad file index"), std::string::npos);
  EXPECT_NE(parse_get_target("/get/4294967296/song.mp3").reason().find("bad file index"), std::string::npos);
  EXPECT_NE(parse_get_target("/get/12").reason().find("bad file index"), std::string::npos);
  EXPECT_NE(parse_get_target("/get/12/").reason().find("no file name"), std::string::npos);
  EXPECT_NE(parse_get_target("/get/12/bad%zz").reason().find("broken %-escape"), std::string::npos);
}

TEST(HttpTest, MalformedHeadsAreRejectedWithAReason) {
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
  auto response = parse_http_response("HTTP/1.1 2000 OK\r\n\r\n");
  EXPECT_NE(response.reason().find("3-digit status code"), std::string::npos);
}

TEST(HttpTest, HeadsOverTheCapsAreRejected) {
  std::string crowded = "GET /a HTTP/1.1\r\n";
  for (std::size_t i = 0; i <= kMaxHttpHeaders; ++i) crowded += "X-" + std::to_string(i) + ": v\r\n";
  EXPECT_NE(rejection(crowded + "\r\n").find("more than 32 HTTP headers"), std::string::npos);
  std::string long_line = "GET /" + std::string(kMaxHttpLine, 'a') + " HTTP/1.1\r\n\r\n";
  EXPECT_NE(rejection(long_line).find("exceeds the cap"), std::string::npos);
}

}  // namespace
}  // namespace p2p::gnutella
