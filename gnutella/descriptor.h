// Gnutella 0.6 descriptors: the 23-byte header and the Ping, Pong, Bye, Push, Query and QueryHit payloads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/net/endpoint.h"
#include "common/util/bytes.h"
#include "common/util/expected.h"
#include "gnutella/guid.h"

namespace p2p::gnutella {

inline constexpr std::size_t kHeaderSize = 23;
// "Messages SHOULD NOT be larger than 4 kB" (GDF Gnutella 0.6, 2.2.1): a bigger payload is refused outright.
inline constexpr std::size_t kMaxPayload = 4096;
// The TTL a servent gives its own Pings and Queries, and the ceiling on TTL + hops when forwarding.
inline constexpr std::uint8_t kDefaultTtl = 7;
// Above this TTL a descriptor is abuse: the router drops it (PROTOCOLS.md). The codec only reports it.
inline constexpr std::uint8_t kMaxTtl = 15;

enum class PayloadType : std::uint8_t {
  Ping = 0x00,
  Pong = 0x01,
  Bye = 0x02,
  Push = 0x40,
  Query = 0x80,
  QueryHit = 0x81,
};

std::string_view to_string(PayloadType type);

// The descriptor header as it travels: GUID[16], payload type, TTL, hops, payload length u32 little-endian.
struct Header {
  Guid guid{};
  PayloadType type = PayloadType::Ping;
  std::uint8_t ttl = kDefaultTtl;
  std::uint8_t hops = 0;
  std::uint32_t payload_length = 0;

  bool ttl_above_limit() const { return ttl > kMaxTtl; }
  bool operator==(const Header&) const = default;
};

// Ping (0x00): no payload but, from newer servents, a GGEP extension block; it asks "who is out there?".
struct Ping {
  Bytes extensions{};  // a GGEP block (GDF Gnutella 0.6, 2.2.2 and 2.3), kept byte for byte, or nothing
  bool operator==(const Ping&) const = default;
};

// Pong (0x01): one servent's listening address and how much it shares. The IP is kept in host order
// (as Endpoint::from_ipv4 takes it) and written big-endian; every other integer is little-endian.
struct Pong {
  std::uint16_t port = 0;
  std::uint32_t ip = 0;
  std::uint32_t files = 0;
  std::uint32_t kilobytes = 0;
  Bytes extensions{};  // an optional GGEP block after the 14 bytes (GDF Gnutella 0.6, 2.2.3), byte for byte

  Endpoint endpoint() const { return Endpoint::from_ipv4(ip, port); }
  bool operator==(const Pong&) const = default;
};

// Bye (0x02): why a servent closes the connection, an HTTP-like code and a NUL-terminated message.
struct Bye {
  std::uint16_t code = 200;
  std::string message;
  bool operator==(const Bye&) const = default;
};

// Push (0x40): asks the firewalled servent `servent_id` to connect out to ip:port and send file `file_index`.
struct Push {
  Guid servent_id{};
  std::uint32_t file_index = 0;
  std::uint32_t ip = 0;
  std::uint16_t port = 0;
  bool operator==(const Push&) const = default;
};

// Query (0x80): minimum speed, the search words NUL-terminated, then extension bytes (HUGE, GGEP, XML) to the
// end.
struct Query {
  std::uint16_t min_speed = 0;
  std::string search;
  Bytes extensions;
  bool operator==(const Query&) const = default;
};

// One file of a QueryHit's result set: the index and name the requester will GET, and its size.
struct QueryHitResult {
  std::uint32_t index = 0;
  std::uint32_t size = 0;
  std::string name;
  Bytes extensions;  // the bytes between the name's NUL and the result's closing NUL
  bool operator==(const QueryHitResult&) const = default;
};

// QueryHit (0x81): where to download (ip:port), the results, an optional vendor trailer (the QHD block,
// kept as bytes), and the responding servent's id, always the last 16 bytes.
struct QueryHit {
  std::uint16_t port = 0;
  std::uint32_t ip = 0;
  std::uint32_t speed = 0;
  std::vector<QueryHitResult> results;
  Bytes qhd;
  Guid servent_id{};

  Endpoint endpoint() const { return Endpoint::from_ipv4(ip, port); }
  bool operator==(const QueryHit&) const = default;
};

using Payload = std::variant<Ping, Pong, Bye, Push, Query, QueryHit>;

PayloadType payload_type(const Payload& payload);

// A decoded descriptor: the header exactly as received and its payload.
struct Descriptor {
  Header header;
  Payload payload;
};

// Reads the 23-byte header at the front of `bytes`. Fails on a short buffer, an unknown payload type or a
// payload length over kMaxPayload. A TTL above kMaxTtl is not an error here: Header::ttl_above_limit() says
// it.
Expected<Header> decode_header(ByteView bytes);

// Whether `frame` holds a whole header whose payload type is none of the six above. The framer cuts a
// descriptor by its payload length whatever its type, so one of an unknown type can be skipped whole.
bool has_unknown_type(ByteView frame);

// Decodes one whole descriptor frame (as DescriptorFramer cuts it): the header, then exactly payload_length
// bytes, checked field by field against the layout of its type.
Expected<Descriptor> decode_descriptor(ByteView frame);

// The wire bytes of a descriptor. The type and payload length come from `payload`. Fails if the payload
// cannot be written faithfully (a NUL inside a string, no or too many results) or exceeds kMaxPayload.
Expected<Bytes> encode_descriptor(const Guid& guid, std::uint8_t ttl, std::uint8_t hops,
                                  const Payload& payload);

// A copy of a descriptor frame with a new TTL and hop count, for forwarding: the payload is passed on
// byte for byte, extensions this servent does not understand included.
Bytes with_ttl_and_hops(ByteView frame, std::uint8_t ttl, std::uint8_t hops);

}  // namespace p2p::gnutella
