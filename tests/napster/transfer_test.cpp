// Tests of the client-to-client transfer pieces: the request line, the framers and the size-then-bytes
// reader.
#include "napster/transfer.h"

#include <gtest/gtest.h>

#include <string>

namespace p2p::napster {
namespace {

TEST(TransferRequestTest, RoundTripsAndEndsWithANewline) {
  TransferRequest request{"lefty", "generic band - song.mp3", 1234};
  Bytes line = encode_request(request);
  EXPECT_EQ(as_chars(line), "lefty \"generic band - song.mp3\" 1234\n");
  auto decoded = decode_request(line);
  ASSERT_TRUE(decoded.ok()) << decoded.reason();
  EXPECT_EQ(*decoded, request);
}

TEST(TransferRequestTest, RefusesMalformedLines) {
  for (std::string_view bad :
       {"lefty \"a.mp3\" 0", "lefty \"a.mp3\"\n", "lefty a.mp3 0\n", "lefty \"a.mp3\" x\n",
        "lefty \"a.mp3 0\n", "\"a.mp3\" 0\n", "lefty \"a.mp3\" 0 7\n", "lefty \"a\x01\" 0\n"}) {
    EXPECT_FALSE(decode_request(as_bytes(bad)).ok()) << bad;
  }
}

TEST(UploadRequestFramerTest, CutsGetThenTheRequestLineThenChunks) {
  UploadRequestFramer framer;
  // "GET" and the request arrive merged in one TCP segment: the framer still cuts them apart.
  std::string stream = "GETlefty \"a.mp3\" 0\nextra";
  ByteView bytes = as_bytes(stream);
  EXPECT_EQ(*framer.next(bytes.first(2)), 0u);
  EXPECT_EQ(*framer.next(bytes), 3u);
  bytes = bytes.subspan(3);
  EXPECT_EQ(*framer.next(bytes.first(5)), 0u) << "no newline yet";
  EXPECT_EQ(*framer.next(bytes), 16u);
  EXPECT_EQ(*framer.next(bytes.subspan(16)), 5u);
}

TEST(UploadRequestFramerTest, RefusesARequestLineOverTheCap) {
  UploadRequestFramer framer;
  ASSERT_EQ(*framer.next(as_bytes("GET")), 3u);
  std::string endless(kMaxRequestBytes, 'a');
  EXPECT_FALSE(framer.next(as_bytes(endless)).ok());
}

TEST(DownloadFramerTest, CutsTheGreetingByteThenChunks) {
  DownloadFramer framer;
  std::string stream = "11234";
  EXPECT_EQ(*framer.next(as_bytes(stream)), 1u);
  EXPECT_EQ(*framer.next(as_bytes(stream).subspan(1)), 4u);
  Bytes big(kTransferChunk + 10, 7);
  EXPECT_EQ(*framer.next(big), kTransferChunk);
}

TEST(DownloadReceiverTest, MatchesTheKnownSizeEvenWhenTheDataStartsWithDigits) {
  // A 12-byte file whose content begins with "34": napster.txt's ambiguity, resolved by the known size.
  DownloadReceiver receiver(12);
  auto first = receiver.feed(as_bytes("1"));
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->empty());
  auto rest = receiver.feed(as_bytes("234abcdefghij"));
  ASSERT_TRUE(rest.ok()) << rest.reason();
  EXPECT_EQ(as_chars(*rest), "34abcdefghij");
  EXPECT_TRUE(receiver.complete());
  EXPECT_EQ(receiver.received(), 12u);
}

TEST(DownloadReceiverTest, ReportsRefusalsWrongSizesAndExtraBytes) {
  DownloadReceiver refused(10);
  auto answer = refused.feed(as_bytes(kFileNotShared));
  ASSERT_FALSE(answer.ok());
  EXPECT_NE(answer.reason().find("FILE NOT SHARED"), std::string::npos);

  DownloadReceiver wrong_size(10);
  EXPECT_FALSE(wrong_size.feed(as_bytes("11")).ok());

  DownloadReceiver too_much(3);
  EXPECT_FALSE(too_much.feed(as_bytes("3abcd")).ok());
}

TEST(DownloadReceiverTest, AnEmptyFileIsCompleteAfterItsSize) {
  DownloadReceiver receiver(0);
  EXPECT_FALSE(receiver.complete());
  ASSERT_TRUE(receiver.feed(as_bytes("0")).ok());
  EXPECT_TRUE(receiver.complete());
}

}  // namespace
}  // namespace p2p::napster
