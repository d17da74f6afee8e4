// The KaZaA field grammar: each field read with its bounds checked, and written back.
#include "kazaa/fields.h"

#include <algorithm>
#include <cassert>
#include <limits>

#include "common/content/safe_name.h"

namespace p2p::kazaa {
namespace {

constexpr std::size_t kMaxLengthByte = std::numeric_limits<std::uint8_t>::max();

bool is_control(std::uint8_t c) {
  return c < 0x20 || c == 0x7f;
}

}  // namespace

void FieldReader::fail(std::string reason) {
  if (error_.empty()) error_ = std::move(reason);
}

std::optional<ByteView> FieldReader::take(const char* what, std::size_t n) {
  if (!ok()) return std::nullopt;
  auto bytes = in_.bytes(n);
  if (!bytes) {
    fail(std::string("truncated: ") + what + " needs " + std::to_string(n) + " byte(s), " +
         std::to_string(in_.remaining()) + " left");
  }
  return bytes;
}

std::uint8_t FieldReader::u8(const char* what) {
  auto bytes = take(what, 1);
  return bytes ? (*bytes)[0] : 0;
}

std::uint16_t FieldReader::u16(const char* what) {
  auto bytes = take(what, 2);
  return bytes ? *ByteReader(*bytes).u16be() : 0;
}

std::uint32_t FieldReader::u32(const char* what) {
  auto bytes = take(what, 4);
  return bytes ? *ByteReader(*bytes).u32be() : 0;
}

std::uint64_t FieldReader::u64(const char* what) {
  auto bytes = take(what, 8);
  return bytes ? *ByteReader(*bytes).u64be() : 0;
}

bool FieldReader::boolean(const char* what) {
  std::uint8_t value = u8(what);
  if (value > 1) fail(std::string(what) + " must be 0 or 1, got " + std::to_string(value));
  return value == 1;
}

std::string FieldReader::text(const char* what, bool allow_empty, std::size_t max_bytes) {
  std::size_t length = u8(what);
  if (!ok()) return {};
  if (length > max_bytes) {
    fail(std::string(what) + " is " + std::to_string(length) + " bytes, over the limit of " +
         std::to_string(max_bytes));
    return {};
  }
  if (length == 0 && !allow_empty) fail(std::string(what) + " is empty");
  auto bytes = take(what, length);
  if (!bytes) return {};
  if (std::any_of(bytes->begin(), bytes->end(), is_control))
    fail(std::string(what) + " contains a control byte");
  return std::string(as_chars(*bytes));
}

std::string FieldReader::file_name(const char* what) {
  std::string name = text(what, false, content::kMaxNameBytes);
  if (!ok()) return {};
  if (Status safe = content::check_safe_name(name); !safe) fail(std::string(what) + ": " + safe.reason());
  return name;
}

Sha1Digest FieldReader::hash(const char* what) {
  Sha1Digest digest{};
  if (auto bytes = take(what, digest.size())) std::copy(bytes->begin(), bytes->end(), digest.begin());
  return digest;
}

Endpoint FieldReader::endpoint(const char* what) {
  std::uint32_t address = u32(what);
  std::uint16_t port = u16(what);
  return Endpoint::from_ipv4(address, port);
}

std::size_t FieldReader::count(const char* what, std::size_t max) {
  std::size_t n = u8(what);
  if (n > max)
    fail(std::string(what) + " count " + std::to_string(n) + " exceeds the cap of " + std::to_string(max));
  return ok() ? n : 0;
}

std::vector<SupernodeEntry> FieldReader::entries(const char* what) {
  std::vector<SupernodeEntry> list(count(what, kMaxSupernodeEntries));
  for (SupernodeEntry& entry : list) {
    entry.address = endpoint("supernode address");
    entry.load_percent = u8("supernode load");
    entry.last_seen_s = u32("supernode last seen");
    if (entry.load_percent > 100)
      fail("supernode load " + std::to_string(entry.load_percent) + " is over 100 %");
    if (!ok()) return {};
  }
  return list;
}

FieldWriter& FieldWriter::u8(std::uint8_t v) {
  out_.u8(v);
  return *this;
}

FieldWriter& FieldWriter::u16(std::uint16_t v) {
  out_.u16be(v);
  return *this;
}

FieldWriter& FieldWriter::u32(std::uint32_t v) {
  out_.u32be(v);
  return *this;
}

FieldWriter& FieldWriter::u64(std::uint64_t v) {
  out_.u64be(v);
  return *this;
}

FieldWriter& FieldWriter::boolean(bool v) {
  return u8(v ? 1 : 0);
}

FieldWriter& FieldWriter::text(std::string_view s) {
  assert(s.size() <= kMaxLengthByte);
  out_.u8(static_cast<std::uint8_t>(s.size())).str(s);
  return *this;
}

FieldWriter& FieldWriter::hash(const Sha1Digest& digest) {
  out_.bytes(digest);
  return *this;
}

FieldWriter& FieldWriter::endpoint(const Endpoint& endpoint) {
  out_.u32be(endpoint.ipv4()).u16be(endpoint.port);
  return *this;
}

FieldWriter& FieldWriter::count(std::size_t n, std::size_t max) {
  assert(n <= max && max <= kMaxLengthByte);
  return u8(static_cast<std::uint8_t>(n));
}

FieldWriter& FieldWriter::entries(const std::vector<SupernodeEntry>& list) {
  count(list.size(), kMaxSupernodeEntries);
  for (const SupernodeEntry& entry : list)
    endpoint(entry.address).u8(entry.load_percent).u32(entry.last_seen_s);
  return *this;
}

}  // namespace p2p::kazaa
