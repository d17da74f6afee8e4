// Tests of the KaZaA codec: every kind round-trips, the bytes follow kazaa/PROTOCOL.md, and every malformed
// frame is refused with a reason that names the fault.
#include "kazaa/codec.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "kazaa/framer.h"
#include "tests/kazaa/sample_messages.h"

namespace p2p::kazaa {
namespace {

// A frame as a peer could send it, right or wrong: type byte, u32 big-endian length, payload.
Bytes frame(MessageType type, const Bytes& payload) {
  ByteWriter w;
  w.u8(static_cast<std::uint8_t>(type)).u32be(static_cast<std::uint32_t>(payload.size())).bytes(payload);
  return w.take();
}

Bytes payload_of(const Message& message) {
  Bytes bytes = encode(message);
  return Bytes(bytes.begin() + kHeaderBytes, bytes.end());
}

// Decodes and expects a refusal whose reason contains `words`.
void expect_refused(const Bytes& bytes, const std::string& words) {
  auto decoded = decode(bytes);
  ASSERT_FALSE(decoded.ok()) << "decoded a frame that should be refused for '" << words << "'";
  EXPECT_NE(decoded.reason().find(words), std::string::npos) << decoded.reason();
}

Endpoint endpoint_a() {
  return {"10.0.0.1", 1214};
}

TEST(KazaaCodecTest, EveryKindRoundTrips) {
  std::set<std::size_t> kinds;
  for (const Message& original : sample_messages()) {
    SCOPED_TRACE(std::string(type_name(type_of(original))));
    kinds.insert(original.index());
    auto decoded = decode(encode(original));
    ASSERT_TRUE(decoded.ok()) << decoded.reason();
    EXPECT_EQ(*decoded, original);
  }
  EXPECT_EQ(kinds.size(), std::variant_size_v<Message>) << "a message kind has no sample";
}

TEST(KazaaCodecTest, ListsAndStringsAtTheirLimitsRoundTripWithinTheFrameCap) {
  std::vector<SupernodeEntry> entries(kMaxSupernodeEntries, SupernodeEntry{endpoint_a(), 100, 0xffffffffu});
  QueryResult longest{
      endpoint_a(), std::string(kMaxUserNameBytes, 'n'), {}, ~0ull, std::string(kMaxTextBytes, 'f')};
  ShareFile share{std::string(kMaxTextBytes, 'f'), 1, {}, {}};
  share.metadata.assign(kMaxMetadata,
                        {std::string(kMaxMetadataKeyBytes, 'k'), std::string(kMaxTextBytes, 'v')});
  std::vector<Message> biggest = {
      SupernodeList{entries},
      Handoff{entries},
      QueryReply{65535, endpoint_a(), std::vector<QueryResult>(kMaxResults, longest)},
      share,
      Query{1, std::string(kMaxTextBytes, 'w'), kMaxResults},
  };
  for (const Message& original : biggest) {
    SCOPED_TRACE(std::string(type_name(type_of(original))));
    Bytes bytes = encode(original);
    EXPECT_LE(bytes.size(), kHeaderBytes + kMaxPayload);
    auto decoded = decode(bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.reason();
    EXPECT_EQ(*decoded, original);
  }
}

TEST(KazaaCodecTest, FramesFollowTheDocumentedLayout) {
  // PROTOCOL.md: Pong is type 0x52, length 5, nonce u32 big-endian, load u8.
  EXPECT_EQ(encode(Pong{0x01020304, 35}), (Bytes{0x52, 0, 0, 0, 5, 1, 2, 3, 4, 35}));
  // Query 0x06: query id u16, result cap u16, then the words behind one length byte.
  EXPECT_EQ(encode(Query{7, "ab", 50}), (Bytes{0x06, 0, 0, 0, 7, 0, 7, 0, 50, 2, 'a', 'b'}));
  // A supernode entry: IPv4 address, port, load, last seen, all big-endian; the list starts with its count.
  EXPECT_EQ(encode(SupernodeList{{{{"10.0.0.1", 1214}, 35, 258}}}),
            (Bytes{0x00, 0, 0, 0, 12, 1, 10, 0, 0, 1, 0x04, 0xbe, 35, 0, 0, 1, 2}));
}

TEST(KazaaCodecTest, RefusesFramesShorterThanTheHeader) {
  expect_refused({}, "shorter than its 5-byte header");
  expect_refused({0x50, 0, 0, 0}, "shorter than its 5-byte header");
}

TEST(KazaaCodecTest, RefusesUnknownTypes) {
  expect_refused(frame(static_cast<MessageType>(0x47), {}), "unknown message type 71");
  expect_refused(frame(static_cast<MessageType>(0xff), {1, 2}), "unknown message type 255");
}

TEST(KazaaCodecTest, RefusesALengthOverTheCap) {
  ByteWriter w;
  w.u8(0x07).u32be(kMaxPayload + 1);
  expect_refused(w.take(), "exceeds the cap");
}

TEST(KazaaCodecTest, RefusesALengthThatDisagreesWithTheFrame) {
  Bytes bytes = encode(Ping{1});
  bytes.push_back(0);
  expect_refused(bytes, "length field says 4 bytes but the payload has 5");
}

TEST(KazaaCodecTest, RefusesBytesAfterTheLastField) {
  Bytes payload = payload_of(SearchEnd{3});
  payload.push_back(0);
  expect_refused(frame(MessageType::SearchEnd, payload), "bad SearchEnd: 1 trailing byte(s)");
}

// Every prefix of every sample: cut as the frame stands (the length then disagrees) and with the length
// fixed to the cut payload (a field then runs out). Neither may crash or decode.
TEST(KazaaCodecTest, RefusesEveryTruncation) {
  for (const Message& message : sample_messages()) {
    SCOPED_TRACE(std::string(type_name(type_of(message))));
    Bytes whole = encode(message);
    for (std::size_t cut = 0; cut < whole.size(); ++cut) {
      EXPECT_FALSE(decode(ByteView(whole).first(cut)).ok()) << "cut at " << cut;
    }
    Bytes payload = payload_of(message);
    for (std::size_t cut = 0; cut < payload.size(); ++cut) {
      expect_refused(frame(type_of(message), Bytes(payload.begin(), payload.begin() + cut)), "truncated");
    }
  }
}

TEST(KazaaCodecTest, RefusesStringsOverTheirLimits) {
  expect_refused(encode(Login{std::string(kMaxUserNameBytes + 1, 'x'), 1, 1, 1, true, false}),
                 "user name is 33 bytes, over the limit of 32");
  expect_refused(encode(QueryReply{1, endpoint_a(), {{endpoint_a(), std::string(40, 'o'), {}, 1, "f"}}}),
                 "owner name is 40 bytes");
  expect_refused(encode(ShareFile{"f", 1, {}, {{std::string(kMaxMetadataKeyBytes + 1, 'k'), "v"}}}),
                 "metadata key is 33 bytes");
}

TEST(KazaaCodecTest, RefusesEmptyNamesAndWords) {
  expect_refused(encode(Login{"", 1, 1, 1, true, false}), "user name is empty");
  expect_refused(encode(Query{1, "", 10}), "search words is empty");
  expect_refused(encode(ShareFile{"", 1, {}, {}}), "file name is empty");
}

TEST(KazaaCodecTest, RefusesListsOverTheirCaps) {
  // A count byte over the cap is refused before a single entry is read.
  expect_refused(frame(MessageType::SupernodeList, {201}), "supernode list count 201 exceeds the cap of 200");
  expect_refused(frame(MessageType::Handoff, {201}), "alternatives count 201");
  Bytes reply = payload_of(QueryReply{1, endpoint_a(), {}});
  reply.back() = 201;
  expect_refused(frame(MessageType::QueryReply, reply), "results count 201 exceeds the cap of 200");
  Bytes share = payload_of(ShareFile{"f", 1, {}, {}});
  share.back() = kMaxMetadata + 1;
  expect_refused(frame(MessageType::ShareFile, share), "metadata count 17 exceeds the cap of 16");
}

TEST(KazaaCodecTest, RefusesFileNamesThatCouldLeaveTheSharedFolder) {
  expect_refused(encode(ShareFile{"../../etc/passwd", 1, {}, {}}),
                 "bad ShareFile: file name: file name contains a path separator");
  expect_refused(encode(ShareFile{"..", 1, {}, {}}), "names a directory");
  expect_refused(encode(ShareFile{"dir\\song.mp3", 1, {}, {}}), "path separator");
  expect_refused(encode(QueryReply{1, endpoint_a(), {{endpoint_a(), "o", {}, 1, "/etc/passwd"}}}),
                 "absolute path");
}

TEST(KazaaCodecTest, RefusesControlBytesInTexts) {
  expect_refused(encode(ShareFile{"song\n.mp3", 1, {}, {}}), "file name contains a control byte");
  expect_refused(encode(Login{"bad\x1b[2J", 1, 1, 1, true, false}), "user name contains a control byte");
  expect_refused(encode(SearchForward{1, endpoint_a(), std::string("a\0b", 3), 10}),
                 "search words contains a control byte");
  expect_refused(encode(ShareFile{"f", 1, {}, {{"artist", "x\x7f"}}}),
                 "metadata value contains a control byte");
}

TEST(KazaaCodecTest, RefusesOutOfRangeNumbers) {
  expect_refused(encode(Query{1, "w", 0}), "result cap 0 is outside 1..200");
  expect_refused(encode(SearchForward{1, endpoint_a(), "w", kMaxResults + 1}), "result cap 201");
  expect_refused(encode(Pong{1, 101}), "load 101 is over 100 %");
  expect_refused(encode(AttachRefuse{{{endpoint_a(), 150, 0}}}), "supernode load 150 is over 100 %");
  Bytes login = payload_of(Login{"u", 1, 1, 1, true, false});
  login[login.size() - 2] = 2;
  expect_refused(frame(MessageType::Login, login), "reachable flag must be 0 or 1, got 2");
}

TEST(KazaaCodecTest, NamesEveryKind) {
  for (const Message& message : sample_messages()) {
    EXPECT_NE(type_name(type_of(message)), "unknown");
  }
  EXPECT_EQ(type_name(MessageType::QueryReply), "QueryReply");
  EXPECT_EQ(type_name(static_cast<MessageType>(0x47)), "unknown");
}

}  // namespace
}  // namespace p2p::kazaa
