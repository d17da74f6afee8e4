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

struct Sha1Hasher::State {
  SHA_CTX ctx;
};
Sha1Hasher::Sha1Hasher() : state_(std::make_unique<State>()) {
  SHA1_Init(&state_->ctx);
}
Sha1Hasher::~Sha1Hasher() = default;
void Sha1Hasher::update(ByteView data) {
  SHA1_Update(&state_->ctx, data.data(), data.size());
}
Sha1Digest Sha1Hasher::finish() {
  Sha1Digest out{};
  SHA1_Final(out.data(), &state_->ctx);
  return out;
}

struct Md5Hasher::State {
  MD5_CTX ctx;
};
Md5Hasher::Md5Hasher() : state_(std::make_unique<State>()) {
  MD5_Init(&state_->ctx);
}
Md5Hasher::~Md5Hasher() = default;
void Md5Hasher::update(ByteView data) {
  MD5_Update(&state_->ctx, data.data(), data.size());
}
Md5Digest Md5Hasher::finish() {
  Md5Digest out{};
  MD5_Final(out.data(), &state_->ctx);
  return out;
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
