// Hex, base32 and %-encoding: digests in logs and Napster payloads, binary info-hashes in tracker URLs and
// magnet links.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/util/bytes.h"

namespace p2p {

std::string to_hex(ByteView data);
// Lower- or upper-case hex of even length; nullopt on anything else.
std::optional<Bytes> from_hex(std::string_view text);

// RFC 4648 base32 (A-Z then 2-7), in whole groups of 8 characters and without padding, upper or lower case:
// a magnet link may name its info-hash in 32 of them. nullopt on anything else.
std::optional<Bytes> from_base32(std::string_view text);

// RFC 3986 percent-encoding: unreserved characters stay, every other byte becomes %XX (tracker info_hash,
// peer_id).
std::string percent_encode(ByteView data);
// Decodes %XX escapes (and '+' as a space when `plus_is_space`); nullopt on a broken escape.
std::optional<Bytes> percent_decode(std::string_view text, bool plus_is_space = false);

}  // namespace p2p
