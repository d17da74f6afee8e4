// Announce tokens (BEP 5): bound to the address, accepted for 5 to 10 minutes as the secret rotates.
#include "bittorrent/dht/token_store.h"

#include <gtest/gtest.h>

namespace p2p::bittorrent::dht {
namespace {

constexpr std::uint32_t kAlice = 0x0a000001;  // 10.0.0.1
constexpr std::uint32_t kBob = 0x0a000002;    // 10.0.0.2

TimePoint at_second(int seconds) {
  return TimePoint{} + std::chrono::seconds(seconds);
}

class TokenStoreTest : public ::testing::Test {
 protected:
  Rng rng_{42};
  TokenStore store_{rng_, at_second(0)};
};

TEST_F(TokenStoreTest, ATokenIsBoundToTheAddressItWasGivenTo) {
  std::string token = store_.token_for(kAlice, at_second(0));
  EXPECT_EQ(token.size(), 20u);  // a SHA-1 digest
  EXPECT_EQ(store_.token_for(kAlice, at_second(10)), token);
  EXPECT_NE(store_.token_for(kBob, at_second(10)), token);
  EXPECT_TRUE(store_.accepts(token, kAlice, at_second(10)));
  EXPECT_FALSE(store_.accepts(token, kBob, at_second(10)));
  EXPECT_FALSE(store_.accepts(token.substr(1), kAlice, at_second(10)));
  EXPECT_FALSE(store_.accepts("", kAlice, at_second(10)));
}

TEST_F(TokenStoreTest, TheSecretMakesTokensUnguessable) {
  Rng other_rng(43);
  TokenStore other(other_rng, at_second(0));
  EXPECT_NE(other.token_for(kAlice, at_second(0)), store_.token_for(kAlice, at_second(0)));
}

TEST_F(TokenStoreTest, ATokenOutlivesOneRotationButNotTwo) {
  // Made at 0:00 with the first secret. At 5:00 the secret rotates: new tokens differ, the old one is still
  // accepted with the previous secret, until the second rotation at 10:00.
  std::string early = store_.token_for(kAlice, at_second(0));
  EXPECT_NE(store_.token_for(kAlice, at_second(300)), early);
  EXPECT_TRUE(store_.accepts(early, kAlice, at_second(599)));
  EXPECT_FALSE(store_.accepts(early, kAlice, at_second(600)));
}

TEST_F(TokenStoreTest, ATokenMadeJustBeforeARotationLivesFiveMinutes) {
  std::string late = store_.token_for(kAlice, at_second(299));
  EXPECT_TRUE(store_.accepts(late, kAlice, at_second(599)));
  EXPECT_FALSE(store_.accepts(late, kAlice, at_second(600)));
}

TEST_F(TokenStoreTest, AfterALongSilenceNoOldTokenIsAccepted) {
  std::string old = store_.token_for(kAlice, at_second(0));
  // First used again an hour later: both secrets are new, so the old token is refused at once.
  EXPECT_FALSE(store_.accepts(old, kAlice, at_second(3600)));
  std::string fresh = store_.token_for(kAlice, at_second(3600));
  EXPECT_TRUE(store_.accepts(fresh, kAlice, at_second(3601)));
  // Rotations stay on the 5-minute grid: 1:00:00 was one, so the fresh token survives 1:05 but not 1:10.
  EXPECT_TRUE(store_.accepts(fresh, kAlice, at_second(3600 + 599)));
  EXPECT_FALSE(store_.accepts(fresh, kAlice, at_second(3600 + 600)));
}

}  // namespace
}  // namespace p2p::bittorrent::dht
