// SHA-1, MD5, hex, base32 and percent-encoding against published test vectors.
#include <gtest/gtest.h>

#include "common/util/encoding.h"
#include "common/util/hash.h"

namespace p2p {
namespace {

TEST(HashTest, MatchesTheRfcTestVectors) {
  EXPECT_EQ(to_hex(sha1(as_bytes("abc"))), "a9993e364706816aba3e25717850c26c9cd0d89d");  // RFC 3174
  EXPECT_EQ(to_hex(md5(as_bytes("abc"))), "900150983cd24fb0d6963f7d28e17f72");           // RFC 1321
}

TEST(HashTest, IncrementalHashingEqualsOneShot) {
  Sha1Hasher hasher;
  hasher.update(as_bytes("a"));
  hasher.update(as_bytes("bc"));
  EXPECT_EQ(hasher.finish(), sha1(as_bytes("abc")));
  Md5Hasher md5_hasher;
  md5_hasher.update(as_bytes("ab"));
  md5_hasher.update(as_bytes("c"));
  EXPECT_EQ(md5_hasher.finish(), md5(as_bytes("abc")));
}

TEST(EncodingTest, HexRoundTripsAndRejectsJunk) {
  Bytes data{0x00, 0xab, 0xff};
  EXPECT_EQ(to_hex(data), "00abff");
  EXPECT_EQ(from_hex("00ABff"), data);
  EXPECT_FALSE(from_hex("abc").has_value());
  EXPECT_FALSE(from_hex("zz").has_value());
}

TEST(EncodingTest, Base32DecodesTheRfcTestVectorsAndRejectsJunk) {
  // RFC 4648, section 10: BASE32("fooba") = "MZXW6YTB"; lower case is read the same.
  EXPECT_EQ(from_base32("MZXW6YTB"), to_bytes("fooba"));
  EXPECT_EQ(from_base32("mzxw6ytb"), to_bytes("fooba"));
  EXPECT_EQ(from_base32(""), Bytes{});
  // An info-hash: 32 characters are 20 bytes.
  auto hash = from_base32("7777777777777777AAAAAAAAAAAAAAAA");
  ASSERT_TRUE(hash);
  EXPECT_EQ(to_hex(*hash), std::string(20, 'f') + std::string(20, '0'));
  EXPECT_FALSE(from_base32("MZXW6YT"));   // not a whole group
  EXPECT_FALSE(from_base32("MZXW6YT1"));  // 1 is not a base32 digit
  EXPECT_FALSE(from_base32("MZXW6YQ="));  // padding is not read
}

TEST(EncodingTest, PercentEncodingKeepsUnreservedCharacters) {
  Bytes data{'a', 'Z', '9', '-', '.', '_', '~', ' ', 0x00, 0xff};
  EXPECT_EQ(percent_encode(data), "aZ9-._~%20%00%ff");
  EXPECT_EQ(percent_decode("aZ9-._~%20%00%FF"), data);
  EXPECT_EQ(percent_decode("a+b", true), to_bytes("a b"));
  EXPECT_FALSE(percent_decode("%2").has_value());
  EXPECT_FALSE(percent_decode("%zz").has_value());
}

}  // namespace
}  // namespace p2p
