// SHA-1 and MD5 through OpenSSL's one-algorithm functions (SHA1_Init, MD5_Init).
//
// OpenSSL 3 deprecates these in favour of EVP, but EVP's first digest loads the default provider and builds
// its algorithm tables: about 2.3 MiB of libcrypto pages and heap in every process, for two hashes that the
// one-algorithm functions compute with the same assembly (SHA-NI where the CPU has it). A lab runs hundreds
// of node processes, so each one's memory counts (issue #4: 8 MiB RSS per node).
#define OPENSSL_SUPPRESS_DEPRECATED
#include "common/util/hash.h"

#include <openssl/md5.h>
#include <openssl/sha.h>

namespace p2p {

namespace {

// One algorithm's context and its three functions; the two hashers below differ only in the ones they name.
template <typename Context, auto init_fn, auto update_fn, auto final_fn, std::size_t N>
class Digest {
 public:
  Digest() { init_fn(&ctx_); }
  void update(ByteView data) { update_fn(&ctx_, data.data(), data.size()); }
  std::array<std::uint8_t, N> finish() {
    std::array<std::uint8_t, N> out{};
    final_fn(out.data(), &ctx_);
    return out;
  }

 private:
  Context ctx_;
};

}  // namespace

struct Sha1Hasher::State : Digest<SHA_CTX, SHA1_Init, SHA1_Update, SHA1_Final, SHA_DIGEST_LENGTH> {};
Sha1Hasher::Sha1Hasher() : state_(std::make_unique<State>()) {}
Sha1Hasher::~Sha1Hasher() = default;
void Sha1Hasher::update(ByteView data) {
  state_->update(data);
}
Sha1Digest Sha1Hasher::finish() {
  return state_->finish();
}

struct Md5Hasher::State : Digest<MD5_CTX, MD5_Init, MD5_Update, MD5_Final, MD5_DIGEST_LENGTH> {};
Md5Hasher::Md5Hasher() : state_(std::make_unique<State>()) {}
Md5Hasher::~Md5Hasher() = default;
void Md5Hasher::update(ByteView data) {
  state_->update(data);
}
Md5Digest Md5Hasher::finish() {
  return state_->finish();
}

Sha1Digest sha1(ByteView data) {
  Sha1Hasher hasher;
  hasher.update(data);
  return hasher.finish();
}

Md5Digest md5(ByteView data) {
  Md5Hasher hasher;
  hasher.update(data);
  return hasher.finish();
}

}  // namespace p2p
