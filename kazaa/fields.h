// The field grammar of p2plab's KaZaA payloads: big-endian integers, strings behind one length byte, IPv4
// endpoints, SHA-1 hashes and counted lists (kazaa/PROTOCOL.md, "Fields").
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/net/endpoint.h"
#include "common/util/bytes.h"
#include "common/util/expected.h"
#include "common/util/hash.h"
#include "kazaa/supernode_entry.h"

namespace p2p::kazaa {

// Reads typed fields in order from one payload and keeps the first error, so a decoder reads as the
// message's description in PROTOCOL.md and checks once at the end. After an error every read returns a
// zero value and reads nothing.
class FieldReader {
 public:
  explicit FieldReader(ByteView payload) : in_(payload) {}

  std::uint8_t u8(const char* what);
  std::uint16_t u16(const char* what);
  std::uint32_t u32(const char* what);
  std::uint64_t u64(const char* what);
  // A byte that must be 0 or 1.
  bool boolean(const char* what);
  // A length byte, then that many bytes: at most max_bytes, none a control byte, and at least one unless
  // `allow_empty`.
  std::string text(const char* what, bool allow_empty, std::size_t max_bytes);
  // A text that must pass content::check_safe_name: it may become a file in a shared folder.
  std::string file_name(const char* what);
  Sha1Digest hash(const char* what);
  // IPv4 address (4 bytes) and port (2 bytes).
  Endpoint endpoint(const char* what);
  // A count byte of at most `max` items.
  std::size_t count(const char* what, std::size_t max);
  // A count, then that many supernode entries (at most kMaxSupernodeEntries).
  std::vector<SupernodeEntry> entries(const char* what);

  bool ok() const { return error_.empty(); }
  // Records an error unless one is already kept.
  void fail(std::string reason);
  // The decoded value if every read succeeded and no byte is left over, else the first error.
  template <typename T>
  Expected<T> finish(T value) {
    if (ok() && !in_.empty())
      fail(std::to_string(in_.remaining()) + " trailing byte(s) after the last field");
    if (!ok()) return make_error(error_);
    return value;
  }

 private:
  // The next n bytes, or nothing (and an error) if the payload ends first.
  std::optional<ByteView> take(const char* what, std::size_t n);

  ByteReader in_;
  std::string error_;
};

// Builds a payload field by field. Encoding is total: the limits are checked with asserts, because a node
// only encodes names and lists it decoded or built itself within them.
class FieldWriter {
 public:
  FieldWriter& u8(std::uint8_t v);
  FieldWriter& u16(std::uint16_t v);
  FieldWriter& u32(std::uint32_t v);
  FieldWriter& u64(std::uint64_t v);
  FieldWriter& boolean(bool v);
  FieldWriter& text(std::string_view s);
  FieldWriter& hash(const Sha1Digest& digest);
  FieldWriter& endpoint(const Endpoint& endpoint);
  FieldWriter& count(std::size_t n, std::size_t max);
  FieldWriter& entries(const std::vector<SupernodeEntry>& list);

  Bytes take() { return out_.take(); }

 private:
  ByteWriter out_;
};

}  // namespace p2p::kazaa
