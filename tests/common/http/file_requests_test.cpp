// File requests over HTTP: the GET a downloader sends, the answers, and the /get/ and /.hash= targets.
#include "common/http/file_requests.h"

#include <gtest/gtest.h>

#include <string>

namespace p2p::http {
namespace {

TEST(FileRequestsTest, TheDownloadRequestIsAPlainHttp11Get) {
  Request request =
      file_request(get_target({12, "blue_river_song_17.mp3"}), {"127.0.0.1", 6346}, "p2plab/0.1");
  EXPECT_EQ(to_text(request),
            "GET /get/12/blue_river_song_17.mp3 HTTP/1.1\r\n"
            "User-Agent: p2plab/0.1\r\n"
            "Host: 127.0.0.1:6346\r\n"
            "Connection: close\r\n"
            "\r\n");
  // And it reads back as the same request.
  auto parsed = parse_request(to_text(request));
  ASSERT_TRUE(parsed.ok()) << parsed.reason();
  EXPECT_EQ(*parsed, request);
  EXPECT_EQ(parsed->header("user-agent"), "p2plab/0.1");
}

TEST(FileRequestsTest, ResponsesCarryTheirStatusAndLength) {
  auto ok = parse_response(to_text(file_response(65536, "p2plab/0.1")));
  ASSERT_TRUE(ok.ok()) << ok.reason();
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->reason, "OK");
  ASSERT_TRUE(ok->content_length().ok());
  EXPECT_EQ(*ok->content_length(), 65536u);

  auto missing = parse_response(to_text(refusal(404, "p2plab/0.1")));
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->reason, "Not Found");
  EXPECT_EQ(*missing->content_length(), 0u);
}

TEST(FileRequestsTest, GetTargetsDecodeTheirNameButDoNotJudgeIt) {
  EXPECT_EQ(parse_get_target("/get/7/song.mp3").value(), (GetTarget{7, "song.mp3"}));
  EXPECT_EQ(parse_get_target("/get/0/my%20song.mp3").value(), (GetTarget{0, "my song.mp3"}));
  // A traversal in disguise decodes to what it is; the uploader's safe-name check refuses it later.
  EXPECT_EQ(parse_get_target("/get/1/%2e%2e%2fetc%2fpasswd").value(), (GetTarget{1, "../etc/passwd"}));
  // Names are escaped on the way out, so the round trip is exact.
  GetTarget odd{3, "a b/c%d.mp3"};
  EXPECT_EQ(get_target(odd), "/get/3/a%20b%2fc%25d.mp3");
  EXPECT_EQ(parse_get_target(get_target(odd)).value(), odd);
}

TEST(FileRequestsTest, MalformedGetTargetsAreRefused) {
  EXPECT_NE(parse_get_target("/uri-res/N2R?urn:sha1:X").reason().find("not a /get/"), std::string::npos);
  EXPECT_NE(parse_get_target("/get/x/song.mp3").reason().find("bad file index"), std::string::npos);
  EXPECT_NE(parse_get_target("/get/-1/song.mp3").reason().find("bad file index"), std::string::npos);
  EXPECT_NE(parse_get_target("/get/4294967296/song.mp3").reason().find("bad file index"), std::string::npos);
  EXPECT_NE(parse_get_target("/get/12").reason().find("bad file index"), std::string::npos);
  EXPECT_NE(parse_get_target("/get/12/").reason().find("no file name"), std::string::npos);
  EXPECT_NE(parse_get_target("/get/12/bad%zz").reason().find("broken %-escape"), std::string::npos);
}

TEST(FileRequestsTest, HashTargetsNameAFileByItsSha1InHex) {
  // KaZaA asks for content, not for a name: "GET /.hash=<40 hex>".
  Sha1Digest hash = sha1(as_bytes(std::string_view("blue river")));
  std::string target = hash_target(hash);
  EXPECT_EQ(target.size(), 7u + 40u);
  EXPECT_TRUE(target.starts_with("/.hash="));
  EXPECT_EQ(parse_hash_target(target).value(), hash);
  // Hex of either case names the same file.
  std::string upper = target;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  upper.replace(0, 7, "/.hash=");
  EXPECT_EQ(parse_hash_target(upper).value(), hash);
  EXPECT_TRUE(to_text(file_request(target, {"127.0.0.1", 1214}, "p2plab/0.1"))
                  .starts_with("GET " + target + " HTTP/1.1\r\n"));
}

TEST(FileRequestsTest, MalformedHashTargetsAreRefused) {
  EXPECT_NE(parse_hash_target("/get/1/a.mp3").reason().find("not a /.hash="), std::string::npos);
  EXPECT_NE(parse_hash_target("/.hash=").reason().find("40 hex digits"), std::string::npos);
  EXPECT_NE(parse_hash_target("/.hash=" + std::string(38, 'a')).reason().find("40 hex digits"),
            std::string::npos);
  EXPECT_NE(parse_hash_target("/.hash=" + std::string(42, 'a')).reason().find("40 hex digits"),
            std::string::npos);
  EXPECT_NE(parse_hash_target("/.hash=" + std::string(39, 'a') + "g").reason().find("40 hex digits"),
            std::string::npos);
}

}  // namespace
}  // namespace p2p::http
