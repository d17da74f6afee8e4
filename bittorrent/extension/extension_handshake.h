// The BEP 10 extension handshake: the bencoded dictionary sent as extended message 0, which names the
// extensions a peer speaks and the ids it wants them sent under.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/util/bytes.h"
#include "common/util/expected.h"

namespace p2p::bittorrent::extension {

// BEP 10, "Extension protocol": extended id 0 is the handshake; every other id is one the receiver chose.
inline constexpr std::uint8_t kHandshakeId = 0;

// What a peer says about itself in its extension handshake. BEP 10 makes every item optional.
struct ExtensionHandshake {
  // `m`: extension name -> the extended id this peer wants to receive it under. An id of 0 says the peer
  // turns that extension off (BEP 10, for a handshake sent again later), so it is kept and id_of() skips it.
  std::map<std::string, std::uint8_t, std::less<>> m;
  std::optional<std::string> v;              // client name and version, text
  std::optional<std::uint16_t> p;            // the peer's TCP listen port
  std::optional<std::size_t> metadata_size;  // BEP 9: bytes of the info dictionary
  std::optional<std::uint32_t> reqq;         // how many outstanding requests the peer queues
  std::optional<std::string> yourip;         // our address as the peer sees it: 4 (IPv4) or 16 raw bytes

  // The id to send `name` under, or nullopt if the peer does not speak it (or turned it off).
  std::optional<std::uint8_t> id_of(std::string_view name) const;

  friend bool operator==(const ExtensionHandshake&, const ExtensionHandshake&) = default;
};

Bytes encode_extension_handshake(const ExtensionHandshake& handshake);
// Refuses with a reason: a payload that is not one bencoded dictionary; `m` not a dictionary; an
// id in `m` that is not an integer from 0 to 255; `v` or `yourip` not a string, or `yourip` not 4 or 16
// bytes; `p` not an integer from 1 to 65535; `metadata_size` not a positive integer; `reqq` not an integer
// from 1 to 2^32 - 1. Keys BEP 10 leaves to other extensions (`ipv4`, `ipv6`, `upload_only`, ...) are
// ignored.
Expected<ExtensionHandshake> decode_extension_handshake(ByteView payload);

}  // namespace p2p::bittorrent::extension
