// HTTP transfers on a FakeRuntime, with KaZaA's /.hash= target: the uploader serves what its resolver names,
// the downloader asks for the target it is given and keeps only bytes whose SHA-1 is the catalogue's.
#include <gtest/gtest.h>

#include "common/content/content_bytes.h"
#include "common/http/file_requests.h"
#include "common/transfer/http_downloads.h"
#include "common/transfer/http_uploads.h"
#include "tests/support/fake_runtime.h"

namespace p2p::transfer {
namespace {

using p2p::testing::FakeRuntime;

std::shared_ptr<const content::Catalogue> catalogue() {
  content::CatalogueConfig config;
  config.files = 20;
  config.seed = 3;
  return std::make_shared<const content::Catalogue>(content::Catalogue::generate(config).value());
}

// Serves every catalogue file by its content hash, as a KaZaA node would.
Resolved by_hash(const content::Catalogue& files, std::string_view target) {
  auto hash = http::parse_hash_target(target);
  if (!hash) return Refusal{400, "bad_request", hash.reason()};
  for (const content::FileEntry& file : files.files()) {
    if (content::file_sha1(file) == *hash) return &file;
  }
  return Refusal{404, "not_shared", "no such hash"};
}

std::string all_text(const std::vector<Bytes>& sent) {
  std::string text;
  for (const Bytes& b : sent) text += std::string(as_chars(b));
  return text;
}

TEST(HttpTransfersTest, AnUploaderServesTheFileItsResolverNamesAndRefusesTheRest) {
  auto files = catalogue();
  const content::FileEntry& file = files->file(4);
  FakeRuntime runtime;
  HttpUploads uploads(
      runtime, [&](std::string_view target) { return by_hash(*files, target); }, "p2plab/0.1");

  // A GET by hash: a 200 head with the file's length, then every byte of it, then the close.
  ConnId conn(1);
  std::string head = http::to_text(
      http::file_request(http::hash_target(content::file_sha1(file)), {"127.0.0.1", 1214}, "p2plab/0.1"));
  uploads.begin(conn, {"127.0.0.2", 0}, as_bytes(std::string_view(head).substr(0, head.find('\n') + 1)));
  std::string_view rest = std::string_view(head).substr(head.find('\n') + 1);
  while (!rest.empty()) {
    std::size_t line = rest.find('\n') + 1;
    uploads.on_frame(conn, as_bytes(rest.substr(0, line)));
    rest.remove_prefix(line);
  }
  runtime.advance(milliseconds(100));
  std::string sent = all_text(runtime.sent[conn]);
  std::string expected_head = http::to_text(http::file_response(file.size, "p2plab/0.1"));
  ASSERT_TRUE(sent.starts_with(expected_head));
  EXPECT_EQ(sent.substr(expected_head.size()),
            std::string(as_chars(content::content_bytes(file, 0, file.size))));
  EXPECT_EQ(runtime.closed[conn], "upload complete");
  EXPECT_EQ(uploads.tally().ok, 1u);

  // A hash nobody has: 404, counted as not_shared.
  ConnId other(2);
  uploads.begin(other, {"127.0.0.2", 0}, as_bytes("GET /.hash=" + std::string(40, '0') + " HTTP/1.1\r\n"));
  uploads.on_frame(other, as_bytes(std::string_view("\r\n")));
  EXPECT_TRUE(all_text(runtime.sent[other]).starts_with("HTTP/1.1 404 Not Found\r\n"));
  EXPECT_EQ(uploads.tally().refused.at("not_shared"), 1u);
  EXPECT_EQ(uploads.active(), 0u);
}

TEST(HttpTransfersTest, ADownloaderAsksForItsTargetAndVerifiesTheBodyBySha1) {
  auto files = catalogue();
  const content::FileEntry& file = files->file(7);
  FakeRuntime runtime;
  std::vector<std::size_t> verified;
  HttpDownloads downloads(
      runtime, files, "p2plab/0.1", [&](const Endpoint& to) { return runtime.connect(to); },
      [&](std::size_t index) { verified.push_back(index); });

  std::string target = http::hash_target(content::file_sha1(file));
  downloads.start({{"127.0.0.3", 1214}, file.index, file.name, target, "query-1"});
  ASSERT_EQ(runtime.dialled.size(), 1u);
  ConnId conn = runtime.dialled.begin()->first;
  downloads.on_connected(conn);
  EXPECT_TRUE(all_text(runtime.sent[conn]).starts_with("GET " + target + " HTTP/1.1\r\n"));

  // The uploader's head, line by line, then the body in two chunks.
  std::string head = http::to_text(http::file_response(file.size, "p2plab/0.1"));
  for (std::size_t at = 0; at < head.size();) {
    std::size_t line = head.find('\n', at) + 1;
    downloads.on_frame(conn, as_bytes(std::string_view(head).substr(at, line - at)));
    at = line;
  }
  Bytes body = content::content_bytes(file, 0, file.size);
  downloads.on_frame(conn, ByteView(body).first(body.size() / 2));
  downloads.on_frame(conn, ByteView(body).subspan(body.size() / 2));

  EXPECT_EQ(verified, std::vector<std::size_t>{file.index});
  EXPECT_EQ(runtime.closed[conn], "download complete");
  ASSERT_EQ(runtime.events.size(), 1u);
  EXPECT_EQ(runtime.events[0].name, "download_done");
  EXPECT_EQ(runtime.events[0].data["verified"], true);
  EXPECT_EQ(downloads.status()["bytes_down"], file.size);
}

}  // namespace
}  // namespace p2p::transfer
