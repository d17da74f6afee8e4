// Tests of the uploader's pacing on a FakeRuntime: uploads take turns, and a full uplink gets nothing more.
#include "napster/uploads.h"

#include <gtest/gtest.h>

#include "tests/support/fake_runtime.h"

namespace p2p::napster {
namespace {

using p2p::testing::FakeRuntime;

// A runtime whose uplink never drains: every byte sent stays queued.
class StuckUplink : public FakeRuntime {
 public:
  std::size_t queued_bytes(ConnId conn) const override {
    auto it = sent.find(conn);
    if (it == sent.end()) return 0;
    std::size_t bytes = 0;
    for (const Bytes& b : it->second) bytes += b.size();
    return bytes;
  }
};

class UploadsTest : public ::testing::Test {
 protected:
  UploadsTest() {
    files_.add("blue river.mp3", Bytes(1 << 20, 1));
    files_.add("green hill.mp3", Bytes(1 << 20, 2));
  }

  // A downloader connects to the data port, is greeted, and asks for `name` from the start.
  ConnId request(Uploads& uploads, const std::string& name) {
    ConnId conn(next_conn_++);
    uploads.on_connected(conn);
    uploads.on_frame(conn, as_bytes(kGet));
    uploads.on_frame(conn, encode_request({"bob", name, 0}));
    return conn;
  }

  // The file data sent on `conn`, in chunks: every send but the greeting and the size line.
  static std::size_t chunks_sent(const FakeRuntime& runtime, ConnId conn) {
    std::size_t chunks = 0;
    for (const Bytes& b : runtime.sent.at(conn)) chunks += b.size() == kTransferChunk ? 1 : 0;
    return chunks;
  }

  MemorySharedFiles files_;
  std::uint64_t next_conn_ = 100;
};

TEST_F(UploadsTest, TwoUploadsTakeTurnsOnTheUplink) {
  FakeRuntime runtime;
  Uploads uploads(runtime, files_);
  ConnId first = request(uploads, "blue river.mp3");
  ConnId second = request(uploads, "green hill.mp3");

  // The first top-up may queue two chunks: one goes to each upload.
  runtime.advance(milliseconds(10));
  EXPECT_EQ(chunks_sent(runtime, first), 1u);
  EXPECT_EQ(chunks_sent(runtime, second), 1u);

  // The uplink takes everything at once (FakeRuntime queues nothing), so the budget grows, and both files go
  // out whole, in about equal shares all along.
  for (int i = 0; i < 5; ++i) {
    runtime.advance(milliseconds(10));
    EXPECT_LE(chunks_sent(runtime, first), chunks_sent(runtime, second) + 1);
    EXPECT_LE(chunks_sent(runtime, second), chunks_sent(runtime, first) + 1);
  }
  runtime.advance(milliseconds(200));
  EXPECT_EQ(chunks_sent(runtime, first), (1u << 20) / kTransferChunk);
  EXPECT_EQ(chunks_sent(runtime, second), (1u << 20) / kTransferChunk);
  EXPECT_EQ(uploads.tally().bytes, 2u << 20);
}

TEST_F(UploadsTest, AnUplinkThatDoesNotDrainGetsNoMoreThanTheMinimumQueue) {
  StuckUplink runtime;
  Uploads uploads(runtime, files_);
  ConnId conn = request(uploads, "blue river.mp3");

  // Nothing leaves the uplink: after the first top-up of two chunks, the uploader waits.
  runtime.advance(seconds(5));
  EXPECT_EQ(chunks_sent(runtime, conn) * kTransferChunk, transfer::PacerConfig{}.min_queued);
  EXPECT_EQ(uploads.tally().bytes, transfer::PacerConfig{}.min_queued);
}

// A slowloris trickles its request line a byte a second: the framer holds the bytes, so the uploader sees
// only the GET. Like a stalled upload, it is closed at the stall timeout.
TEST_F(UploadsTest, ARequestNotWholeByTheStallTimeoutIsClosed) {
  FakeRuntime runtime;
  Uploads uploads(runtime, files_);
  const Duration timeout = UploadConfig{}.stall_timeout;
  ConnId trickling(next_conn_++);
  uploads.on_connected(trickling);
  uploads.on_frame(trickling, as_bytes(kGet));
  runtime.advance(timeout - seconds(1));
  EXPECT_FALSE(runtime.closed.contains(trickling)) << "closed before the stall timeout";
  runtime.advance(seconds(2));
  EXPECT_EQ(runtime.closed[trickling], "upload stalled");
}

}  // namespace
}  // namespace p2p::napster
