// Tokens from a rotating secret, hashed with the tree's SHA-1.
#include "bittorrent/dht/token_store.h"

#include "common/util/bytes.h"
#include "common/util/hash.h"

namespace p2p::bittorrent::dht {
namespace {

std::string token_with(const std::array<std::uint8_t, 20>& secret, std::uint32_t ipv4) {
  ByteWriter input(4 + secret.size());
  input.u32be(ipv4).bytes(secret);
  return std::string(as_chars(sha1(input.view())));
}

}  // namespace

TokenStore::TokenStore(Rng& rng, TimePoint now)
    : rng_(rng), current_(draw_secret()), previous_(draw_secret()), rotated_at_(now) {}

std::string TokenStore::token_for(std::uint32_t ipv4, TimePoint now) {
  rotate_to(now);
  return token_with(current_, ipv4);
}

bool TokenStore::accepts(std::string_view token, std::uint32_t ipv4, TimePoint now) {
  rotate_to(now);
  return token == token_with(current_, ipv4) || token == token_with(previous_, ipv4);
}

// Rotations happen on a 5-minute grid from construction, whenever the store is next used. After two or more
// periods without use, both secrets are new, so every token handed out before is refused.
void TokenStore::rotate_to(TimePoint now) {
  auto periods = (now - rotated_at_) / kSecretRotation;
  if (periods <= 0) return;
  previous_ = periods == 1 ? current_ : draw_secret();
  current_ = draw_secret();
  rotated_at_ += periods * kSecretRotation;
}

TokenStore::Secret TokenStore::draw_secret() {
  Secret secret;
  rng_.fill(secret.data(), secret.size());
  return secret;
}

}  // namespace p2p::bittorrent::dht
