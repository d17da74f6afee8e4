// Announce tokens (BEP 5, "get_peers" and "announce_peer"): proof that an announcing node asked us first,
// from the same address, not long ago.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/util/random.h"
#include "common/util/time.h"

namespace p2p::bittorrent::dht {

// BEP 5: "the SHA1 hash of the IP address concatenated onto a secret that changes every five minutes and
// tokens up to ten minutes old are accepted".
inline constexpr Duration kSecretRotation = std::chrono::minutes(5);

// Hands out tokens with get_peers answers and checks the ones announce_peer brings back. A token is
// SHA-1(IPv4 address, secret); a token made with the current or the previous secret is accepted, so it
// lives between 5 and 10 minutes. Nothing is stored per querier. The secret rotates on the times passed in,
// drawing each new secret from the generator given at construction.
class TokenStore {
 public:
  TokenStore(Rng& rng, TimePoint now);

  // The 20-byte token for `ipv4` (host order, as Endpoint::ipv4 gives it).
  std::string token_for(std::uint32_t ipv4, TimePoint now);
  bool accepts(std::string_view token, std::uint32_t ipv4, TimePoint now);

 private:
  using Secret = std::array<std::uint8_t, 20>;

  void rotate_to(TimePoint now);
  Secret draw_secret();

  Rng& rng_;
  Secret current_;
  Secret previous_;
  TimePoint rotated_at_;
};

}  // namespace p2p::bittorrent::dht
