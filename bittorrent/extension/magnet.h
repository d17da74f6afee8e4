// Magnet links (BEP 9, "magnet URI format"): the info-hash, a name, trackers and peers in one URI, enough to
// join a swarm and fetch the metadata from it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/net/endpoint.h"
#include "common/util/bytes.h"
#include "common/util/expected.h"
#include "common/util/hash.h"

namespace p2p::bittorrent::extension {

// magnet:?xt=urn:btih:<info-hash>&dn=<name>&tr=<tracker url>&x.pe=<host:port>
struct MagnetLink {
  Sha1Digest info_hash{};             // xt: 40 hex digits or 32 base32 characters
  std::string display_name;           // dn: a name to show until the metadata has one; may be empty
  std::vector<std::string> trackers;  // tr: zero or more, in the link's order
  std::vector<Endpoint> peers;        // x.pe: peers to ask for the metadata directly
  friend bool operator==(const MagnetLink&, const MagnetLink&) = default;
};

// Values are percent-decoded (with '+' as a space, as web forms write them). Refuses with a reason: a URI
// that does not start with "magnet:?"; a parameter without '='; a broken %-escape; no `xt` of the form
// urn:btih:, or two of them; an info-hash that is neither 40 hex digits nor 32 base32 characters; an x.pe
// that is not IPv4:port or has port 0. Other parameters (xl, ws, as, kt, BEP 53's so, another xt such as
// urn:btmh:) are ignored.
Expected<MagnetLink> parse_magnet(std::string_view uri);
// The link with the info-hash in hex and the name and trackers percent-encoded:
// parse_magnet(format_magnet(m)) == m.
std::string format_magnet(const MagnetLink& link);

// The .torrent a magnet link stands for, once its metadata is fetched and verified (MetadataAssembler):
// `info` byte for byte, so the file's info-hash is the link's, and the link's trackers as `announce` (the
// first) and one BEP 12 tier of all of them. A link with no tracker gives a torrent with no `announce`.
Bytes torrent_file(const MagnetLink& link, ByteView info);

}  // namespace p2p::bittorrent::extension
