// SHA-1 and MD5 over OpenSSL's EVP interface.
#include "common/util/hash.h"

#include <openssl/evp.h>

#include <cassert>

namespace p2p {
namespace {

// One EVP digest context, whichever the algorithm; the two hashers below differ only in the digest they name.
class EvpContext {
 public:
  explicit EvpContext(const EVP_MD* md) : ctx_(EVP_MD_CTX_new()) {
    assert(ctx_ != nullptr);
    EVP_DigestInit_ex(ctx_, md, nullptr);
  }
  ~EvpContext() { EVP_MD_CTX_free(ctx_); }
  EvpContext(const EvpContext&) = delete;
  EvpContext& operator=(const EvpContext&) = delete;

  void update(ByteView data) { EVP_DigestUpdate(ctx_, data.data(), data.size()); }
  template <std::size_t N>
  std::array<std::uint8_t, N> finish() {
    std::array<std::uint8_t, N> out{};
    unsigned int size = 0;
    EVP_DigestFinal_ex(ctx_, out.data(), &size);
    assert(size == N);
    return out;
  }

 private:
  EVP_MD_CTX* ctx_;
};

}  // namespace

struct Sha1Hasher::State : EvpContext {
  State() : EvpContext(EVP_sha1()) {}
};
Sha1Hasher::Sha1Hasher() : state_(std::make_unique<State>()) {}
Sha1Hasher::~Sha1Hasher() = default;
void Sha1Hasher::update(ByteView data) {
  state_->update(data);
}
Sha1Digest Sha1Hasher::finish() {
  return state_->finish<20>();
}

struct Md5Hasher::State : EvpContext {
  State() : EvpContext(EVP_md5()) {}
};
Md5Hasher::Md5Hasher() : state_(std::make_unique<State>()) {}
Md5Hasher::~Md5Hasher() = default;
void Md5Hasher::update(ByteView data) {
  state_->update(data);
}
Md5Digest Md5Hasher::finish() {
  return state_->finish<16>();
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
