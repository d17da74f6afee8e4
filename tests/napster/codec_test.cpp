// Tests of the OpenNap codec: every message round-trips, napster.txt's examples decode, malformed frames are
// refused.
#include "napster/codec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/util/encoding.h"

namespace p2p::napster {
namespace {

Md5Digest digest(std::string_view hex) {
  Md5Digest d{};
  auto bytes = from_hex(hex);
  std::copy(bytes->begin(), bytes->end(), d.begin());
  return d;
}

// A frame as a client would put it on the wire: length and type little-endian, then the payload.
Bytes frame(std::uint16_t type, std::string_view payload) {
  ByteWriter w;
  w.u16le(static_cast<std::uint16_t>(payload.size())).u16le(type).str(payload);
  return w.take();
}

FileInfo song() {
  return {
      "generic band - generic song.mp3", digest("b92870e0d41bc8e698cf2f0a1ddfeac7"), 443332, 128, 44100, 60};
}

TEST(CodecTest, EveryMessageRoundTrips) {
  std::vector<Message> messages = {
      ErrorMessage{"nick lefty is already logged in, \"choose\" another"},
      Login{"foo", "badpass", 6699, "nap v0.8", 3},
      Login{"fw", "x", 0, "", 0},
      LoginAck{"anon@p2plab"},
      ShareFile{song()},
      UnshareFile{"generic band - generic song.mp3"},
      SearchRequest{"sneaker pimps", 75},
      SearchResult{song(), "lefty", 16777343, 4, 6699},
      SearchEnd{},
      DownloadRequest{"mred", "generic cowboy song.mp3"},
      DownloadAck{"lefty", 3437166285u, 6699, "generic band - generic song.mp3", song().md5, 3},
      DownloadError{"lefty", "gone.mp3"},
      BrowseRequest{"foouser"},
      BrowseEntry{"foouser", song()},
      BrowseEnd{"foouser"},
      StatsRequest{},
      ServerStats{553, 64692, 254},
  };
  for (const Message& original : messages) {
    SCOPED_TRACE(static_cast<unsigned>(type_of(original)));
    auto decoded = decode(encode(original));
    ASSERT_TRUE(decoded.ok()) << decoded.reason();
    EXPECT_EQ(*decoded, original);
  }
}

TEST(CodecTest, FrameStartsWithLittleEndianLengthAndType) {
  // The login example of napster.txt, byte for byte.
  std::string payload = "foo badpass 6699 \"nap v0.8\" 3";
  Bytes wire = encode(Login{"foo", "badpass", 6699, "nap v0.8", 3});
  EXPECT_EQ(wire, frame(2, payload));
  EXPECT_EQ(wire[0], payload.size());
  EXPECT_EQ(wire[1], 0);
  EXPECT_EQ(wire[2], 2);
  EXPECT_EQ(wire[3], 0);
}

TEST(CodecTest, DecodesNapsterTxtExamples) {
  // A search with two FILENAME CONTAINS clauses around MAX_RESULTS: the words add up.
  auto search =
      decode(frame(200, "FILENAME CONTAINS \"Sneaker Pimps\" MAX_RESULTS 75 FILENAME CONTAINS \"tesko\""));
  ASSERT_TRUE(search.ok()) << search.reason();
  EXPECT_EQ(std::get<SearchRequest>(*search), (SearchRequest{"Sneaker Pimps tesko", 75}));

  // A search result as napster.txt prints it, plus p2plab's trailing data port.
  auto result =
      decode(frame(201,
                   "\"random band - random song.mp3\" 7d733c1e7419674744768db71bff8bcd 2558199 128 44100 "
                   "159 lefty 3437166285 4 6699"));
  ASSERT_TRUE(result.ok()) << result.reason();
  const auto& hit = std::get<SearchResult>(*result);
  EXPECT_EQ(hit.nick, "lefty");
  EXPECT_EQ(hit.file.size, 2558199u);
  EXPECT_EQ(hit.data_port, 6699);

  // The server's stats answer, and the client's empty request, share type 214.
  EXPECT_EQ(std::get<ServerStats>(*decode(frame(214, "553 64692 254"))).files, 64692u);
  EXPECT_TRUE(std::holds_alternative<StatsRequest>(*decode(frame(214, ""))));
}

TEST(CodecTest, AddressesTravelAsNapsterUnsignedLongs) {
  // 127.0.0.1 read as a little-endian integer of its network-order bytes.
  EXPECT_EQ(napster_ip({"127.0.0.1", 0}), 16777343u);
  EXPECT_EQ(endpoint_from_napster_ip(16777343u, 6699), (Endpoint{"127.0.0.1", 6699}));
  EXPECT_EQ(endpoint_from_napster_ip(napster_ip({"10.1.2.3", 0}), 1).host, "10.1.2.3");
}

// Each malformed frame decodes to an error whose reason names the problem.
struct Reject {
  const char* what;
  Bytes frame;
  const char* reason_part;
};

TEST(CodecTest, MalformedFramesDecodeToErrorsWithReasons) {
  Bytes oversize = frame(2, std::string(kMaxPayload + 1, 'a'));
  Bytes short_payload = frame(2, "foo badpass 6699 \"nap\" 3");
  short_payload.pop_back();
  std::vector<Reject> rejects = {
      {"shorter than a header", Bytes{1, 0, 2}, "header"},
      {"oversize", oversize, "exceeds the cap"},
      {"length disagrees", short_payload, "length field"},
      {"unknown type", frame(9999, ""), "unknown message type 9999"},
      {"control byte", frame(2, "foo\x01 x 1 \"c\" 0"), "not printable"},
      {"unterminated quote", frame(100, "\"song.mp3 b92870e0d41bc8e698cf2f0a1ddfeac7 1 2 3 4"),
       "unterminated"},
      {"quote inside a word", frame(211, "foo\"bar"), "stray quote"},
      {"quote not followed by space", frame(102, "\"a\"b\""), "closing quote"},
      {"double space", frame(211, "a  b"), "empty field"},
      {"missing field", frame(2, "foo badpass 6699 \"nap v0.8\""), "missing field: link type"},
      {"non-numeric port", frame(2, "foo badpass 66x9 \"nap v0.8\" 3"), "port is not a decimal number"},
      {"port overflow", frame(2, "foo badpass 65536 \"nap v0.8\" 3"), "port is over its maximum"},
      {"negative size", frame(100, "\"s.mp3\" b92870e0d41bc8e698cf2f0a1ddfeac7 -1 128 44100 60"),
       "size is not"},
      {"bad md5", frame(100, "\"s.mp3\" b92870e0 1 128 44100 60"), "md5 is not 32 hex"},
      {"unquoted name", frame(102, "song.mp3"), "must be in double quotes"},
      {"empty name", frame(102, "\"\""), "file name is empty"},
      {"trailing field", frame(211, "foo bar"), "unexpected trailing"},
      {"data on 202", frame(202, "x"), "unexpected trailing"},
      {"long nick", frame(211, std::string(kMaxNickBytes + 1, 'n')), "nick is longer"},
      {"link type out of range", frame(2, "foo p 1 \"c\" 11"), "link type is over"},
      {"search without max", frame(200, "FILENAME CONTAINS \"a\""), "no MAX_RESULTS"},
      {"search without words", frame(200, "MAX_RESULTS 5"), "no FILENAME CONTAINS"},
      {"unsupported clause", frame(200, "FILENAME CONTAINS \"a\" MAX_RESULTS 5 BITRATE \"AT LEAST\" \"128\""),
       "unsupported search clause"},
  };
  for (const Reject& r : rejects) {
    auto decoded = decode(r.frame);
    ASSERT_FALSE(decoded.ok()) << r.what;
    EXPECT_NE(decoded.reason().find(r.reason_part), std::string::npos) << r.what << ": " << decoded.reason();
  }
}

TEST(CodecTest, FramerCutsAtThePayloadCap) {
  // The framer refuses a header announcing more than kMaxPayload, before the bytes even arrive.
  auto framer = make_framer();
  ByteWriter header;
  header.u16le(static_cast<std::uint16_t>(kMaxPayload + 1)).u16le(2);
  EXPECT_FALSE(framer->next(header.view()).ok());
  Bytes login = encode(Login{"foo", "p", 1, "c", 0});
  EXPECT_EQ(*framer->next(login), login.size());
}

}  // namespace
}  // namespace p2p::napster
