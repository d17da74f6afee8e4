// ZMTP 3.0 frames, after RFC 23/ZMTP ("Formal Grammar").
#include "tests/tools/hostile/zmtp.h"

#include <algorithm>

namespace p2p::hostile::zmtp {
namespace {

constexpr std::uint8_t kMore = 0x01;
constexpr std::uint8_t kLong = 0x02;
constexpr std::uint8_t kCommand = 0x04;
constexpr std::string_view kReady = "READY";
constexpr std::string_view kSocketType = "Socket-Type";

// The READY body: its name, then the one property `Socket-Type` (name-size, name, u32 value-size, value).
Bytes ready_body(std::string_view socket_type) {
  ByteWriter body;
  body.u8(static_cast<std::uint8_t>(kReady.size())).str(kReady);
  body.u8(static_cast<std::uint8_t>(kSocketType.size())).str(kSocketType);
  body.u32be(static_cast<std::uint32_t>(socket_type.size())).str(socket_type);
  return body.take();
}

Bytes with_flags(std::uint8_t flags, ByteView body) {
  ByteWriter out;
  if (body.size() > 0xFF) {
    out.u8(static_cast<std::uint8_t>(flags | kLong)).u64be(body.size());
  } else {
    out.u8(flags).u8(static_cast<std::uint8_t>(body.size()));
  }
  return out.bytes(body).take();
}

}  // namespace

Bytes greeting() {
  ByteWriter out;
  out.u8(0xFF).u64be(0).u8(0x7F);  // signature
  out.u8(3).u8(0);                 // version 3.0
  Bytes mechanism(20, 0);
  std::copy_n(std::string_view("NULL").begin(), 4, mechanism.begin());
  out.bytes(mechanism).u8(0);  // as-server
  out.bytes(Bytes(31, 0));     // filler
  return out.take();
}

Bytes ready(std::string_view socket_type) {
  return with_flags(kCommand, ready_body(socket_type));
}

std::size_t ready_bytes(std::string_view socket_type) {
  return ready(socket_type).size();
}

Bytes frame(ByteView body, bool more) {
  return with_flags(more ? kMore : std::uint8_t{0}, body);
}

Bytes long_frame_head(std::uint64_t size) {
  return ByteWriter().u8(kLong).u64be(size).take();
}

Bytes request(std::string_view body) {
  Bytes out = frame({}, true);
  Bytes last = frame(as_bytes(body), false);
  out.insert(out.end(), last.begin(), last.end());
  return out;
}

Bytes subscribe_all() {
  const std::uint8_t subscribe = 1;
  return frame(ByteView(&subscribe, 1), false);
}

}  // namespace p2p::hostile::zmtp
