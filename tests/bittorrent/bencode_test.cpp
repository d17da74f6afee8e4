// Bencode: BEP 3's examples, every canonical-form rule the strict decoder enforces, the limits, raw spans.
#include "bittorrent/bencode.h"

#include <gtest/gtest.h>

#include <string>

namespace p2p::bittorrent {
namespace {

Expected<Value> parse(std::string_view text, const DecodeLimits& limits = {}) {
  return decode(as_bytes(text), limits);
}

std::string encoded(const Value& value) {
  Bytes bytes = encode(value);
  return std::string(as_chars(bytes));
}

// The refusal of `text`, or "accepted" if it decoded.
std::string refusal(std::string_view text, const DecodeLimits& limits = {}) {
  auto value = parse(text, limits);
  return value ? "accepted" : value.reason();
}

TEST(BencodeTest, DecodesTheExamplesOfBep3) {
  EXPECT_EQ(*parse("4:spam"), Value("spam"));
  EXPECT_EQ(*parse("0:"), Value(""));
  EXPECT_EQ(*parse("i3e"), Value(3));
  EXPECT_EQ(*parse("i-3e"), Value(-3));
  EXPECT_EQ(*parse("i0e"), Value(0));
  EXPECT_EQ(*parse("l4:spam4:eggse"), Value(List{"spam", "eggs"}));
  EXPECT_EQ(*parse("d3:cow3:moo4:spam4:eggse"), Value(Dict{{"cow", "moo"}, {"spam", "eggs"}}));
  EXPECT_EQ(*parse("d4:spaml1:a1:bee"), Value(Dict{{"spam", List{"a", "b"}}}));
}

TEST(BencodeTest, AccessorsReturnNullForTheWrongType) {
  Value dict = *parse("d1:ai7e1:b2:hie");
  ASSERT_NE(dict.if_dict(), nullptr);
  EXPECT_EQ(dict.if_list(), nullptr);
  EXPECT_EQ(*dict.find("a")->if_int(), 7);
  EXPECT_EQ(dict.find("a")->if_string(), nullptr);
  EXPECT_EQ(*dict.find("b")->if_string(), "hi");
  EXPECT_EQ(dict.find("missing"), nullptr);
  EXPECT_EQ(Value(5).find("a"), nullptr);  // not a dictionary
}

TEST(BencodeTest, StringsCarryArbitraryBytes) {
  std::string binary("3:\0\xff\n", 5);
  auto value = parse(binary);
  ASSERT_TRUE(value) << value.reason();
  EXPECT_EQ(*value->if_string(), std::string("\0\xff\n", 3));
}

TEST(BencodeTest, RefusesNonCanonicalIntegers) {
  EXPECT_NE(refusal("i03e").find("leading zero"), std::string::npos);
  EXPECT_NE(refusal("i-03e").find("leading zero"), std::string::npos);
  EXPECT_NE(refusal("i-0e").find("negative zero"), std::string::npos);
  EXPECT_NE(refusal("ie").find("without digits"), std::string::npos);
  EXPECT_NE(refusal("i-e").find("without digits"), std::string::npos);
  EXPECT_NE(refusal("i+3e").find("without digits"), std::string::npos);
  EXPECT_NE(refusal("i3").find("not ended by 'e'"), std::string::npos);
  EXPECT_NE(refusal("i3.5e").find("not ended by 'e'"), std::string::npos);
}

TEST(BencodeTest, IntegersSpanExactlySixtyFourBits) {
  EXPECT_EQ(*parse("i9223372036854775807e")->if_int(), INT64_MAX);
  EXPECT_EQ(*parse("i-9223372036854775808e")->if_int(), INT64_MIN);
  EXPECT_NE(refusal("i9223372036854775808e").find("64-bit"), std::string::npos);
  EXPECT_NE(refusal("i-9223372036854775809e").find("64-bit"), std::string::npos);
  EXPECT_NE(refusal("i99999999999999999999999999e").find("64-bit"), std::string::npos);
}

TEST(BencodeTest, RefusesStringsThatRunPastTheInput) {
  EXPECT_NE(refusal("5:spam").find("runs past the end"), std::string::npos);
  EXPECT_NE(refusal("99999999999999999:x").find("runs past the end"), std::string::npos);
  EXPECT_NE(refusal("04:spam").find("leading zero"), std::string::npos);
  EXPECT_NE(refusal("-1:").find("unexpected byte"), std::string::npos);
  EXPECT_NE(refusal("4spam").find("not ended by ':'"), std::string::npos);
}

TEST(BencodeTest, RefusesDictionariesThatAreNotCanonical) {
  EXPECT_NE(refusal("d4:spami1e3:cowi2ee").find("out of order"), std::string::npos);
  EXPECT_NE(refusal("d3:cowi1e3:cowi2ee").find("repeated"), std::string::npos);
  EXPECT_NE(refusal("di1ei2ee").find("key is not a string"), std::string::npos);
  EXPECT_NE(refusal("d3:cowe").find("key without a value"), std::string::npos);
}

TEST(BencodeTest, SortsKeysAsRawBytesNotAsSignedChars) {
  // 0xff sorts after 'z' as an unsigned byte, as BEP 3 requires.
  std::string sorted = std::string("d1:zi1e1:") + '\xff' + "i2ee";
  EXPECT_TRUE(parse(sorted)) << refusal(sorted);
  std::string unsorted = std::string("d1:") + '\xff' + "i2e1:zi1ee";
  EXPECT_NE(refusal(unsorted).find("out of order"), std::string::npos);
}

TEST(BencodeTest, RefusesTruncatedAndTrailingInput) {
  EXPECT_NE(refusal("").find("input ends"), std::string::npos);
  EXPECT_NE(refusal("l4:spam").find("list not ended"), std::string::npos);
  EXPECT_NE(refusal("d3:cow3:moo").find("dictionary not ended"), std::string::npos);
  EXPECT_NE(refusal("i1ei2e").find("3 bytes follow the value"), std::string::npos);
  EXPECT_NE(refusal("x").find("unexpected byte"), std::string::npos);
}

TEST(BencodeTest, DecodesAPrefixAndSaysWhereItEnds) {
  // BEP 9's data message: a dictionary, then raw metadata bytes that are not bencoded.
  const std::string message = "d8:msg_typei1e5:piecei0ee" + std::string("\xff\x00raw", 5);
  auto prefix = decode_prefix(as_bytes(message));
  ASSERT_TRUE(prefix) << prefix.reason();
  EXPECT_EQ(prefix->length, message.size() - 5);
  EXPECT_EQ(*prefix->value.find("piece")->if_int(), 0);

  // The value itself must still be whole and canonical.
  EXPECT_NE(decode_prefix(as_bytes("d5:piecei0e")).reason().find("dictionary not ended"), std::string::npos);
  EXPECT_NE(decode_prefix(as_bytes("i01e")).reason().find("leading zero"), std::string::npos);
}

TEST(BencodeTest, StopsAtTheDepthLimitInsteadOfRecursingFurther) {
  DecodeLimits limits;
  limits.max_depth = 3;
  EXPECT_TRUE(parse("llleee", limits));
  EXPECT_NE(refusal("lllleeee", limits).find("deeper than 3"), std::string::npos);
  // A hostile input a million levels deep fails fast with the default limit, without exhausting the stack.
  std::string deep(1'000'000, 'l');
  EXPECT_NE(refusal(deep).find("deeper than 32"), std::string::npos);
}

TEST(BencodeTest, StopsAtTheSizeAndValueLimits) {
  DecodeLimits limits;
  limits.max_input = 8;
  EXPECT_NE(refusal("l4:spam4:eggse", limits).find("exceeds the limit of 8"), std::string::npos);
  limits = DecodeLimits{};
  limits.max_values = 3;
  EXPECT_TRUE(parse("li1ei2ee", limits));
  EXPECT_NE(refusal("li1ei2ei3ee", limits).find("more than 3 values"), std::string::npos);
}

TEST(BencodeTest, EncodesCanonicallyAndRoundTrips) {
  Dict dict{{"spam", List{"a", -42, Dict{}}}, {"cow", "moo"}, {"n", 0}};
  std::string text = encoded(dict);
  EXPECT_EQ(text, "d3:cow3:moo1:ni0e4:spaml1:ai-42edeee");  // keys sorted whatever the insertion order
  EXPECT_EQ(*parse(text), Value(dict));
  EXPECT_EQ(encoded(INT64_MIN), "i-9223372036854775808e");
}

TEST(BencodeTest, ReportsTheRawBytesOfEachTopLevelValue) {
  // The `info` value is reported byte for byte, so its hash is the one the file's author computed.
  std::string torrent = "d8:announce3:url4:infod4:name1:xe5:otheri1ee";
  auto decoded = decode_dict(as_bytes(torrent));
  ASSERT_TRUE(decoded) << decoded.reason();
  EXPECT_EQ(as_chars(decoded->raw.at("info")), "d4:name1:xe");
  EXPECT_EQ(as_chars(decoded->raw.at("announce")), "3:url");
  EXPECT_EQ(as_chars(decoded->raw.at("other")), "i1e");
  EXPECT_EQ(*decoded->dict.at("info").find("name")->if_string(), "x");
  EXPECT_FALSE(decode_dict(as_bytes("l4:infoe")));  // not a dictionary
}

}  // namespace
}  // namespace p2p::bittorrent
