// SHA-1 and MD5 through OpenSSL: BitTorrent piece and info-hashes, Napster's file MD5s.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "common/util/bytes.h"

namespace p2p {

using Sha1Digest = std::array<std::uint8_t, 20>;
using Md5Digest = std::array<std::uint8_t, 16>;

Sha1Digest sha1(ByteView data);
Md5Digest md5(ByteView data);

// Hashes data that arrives in pieces (a BitTorrent piece block by block, a download chunk by chunk).
class Sha1Hasher {
 public:
  Sha1Hasher();
  ~Sha1Hasher();
  Sha1Hasher(const Sha1Hasher&) = delete;
  Sha1Hasher& operator=(const Sha1Hasher&) = delete;
  void update(ByteView data);
  Sha1Digest finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

class Md5Hasher {
 public:
  Md5Hasher();
  ~Md5Hasher();
  Md5Hasher(const Md5Hasher&) = delete;
  Md5Hasher& operator=(const Md5Hasher&) = delete;
  void update(ByteView data);
  Md5Digest finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace p2p
