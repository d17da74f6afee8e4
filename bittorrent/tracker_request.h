// Tracker requests (BEP 3 "Trackers", BEP 23, BEP 48): the announce and scrape query strings, both ways.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "bittorrent/wire.h"
#include "common/util/expected.h"
#include "common/util/hash.h"

namespace p2p::bittorrent {

enum class AnnounceEvent { None, Started, Completed, Stopped };
std::string_view event_name(AnnounceEvent event);  // "", "started", "completed", "stopped"

inline constexpr std::uint32_t kDefaultNumwant = 40;
inline constexpr std::uint32_t kMaxNumwant = 200;

// GET /announce?info_hash=..&peer_id=..&port=..&uploaded=..&downloaded=..&left=..[&event=..][&compact=1]
// [&numwant=..]. The binary info_hash and peer_id travel %-escaped and must decode to exactly 20 bytes.
struct AnnounceRequest {
  Sha1Digest info_hash{};
  PeerId peer_id{};
  std::uint16_t port = 0;
  std::uint64_t uploaded = 0;
  std::uint64_t downloaded = 0;
  std::uint64_t left = 0;
  AnnounceEvent event = AnnounceEvent::None;
  bool compact = false;                     // BEP 23: peers as 6-byte strings
  bool no_peer_id = false;                  // the dictionary form may leave out "peer id"
  std::uint32_t numwant = kDefaultNumwant;  // clipped to kMaxNumwant
};

// GET /scrape[?info_hash=..&info_hash=..] (BEP 48): no info_hash means every torrent.
struct ScrapeRequest {
  std::vector<Sha1Digest> info_hashes;
};

using TrackerRequest = std::variant<AnnounceRequest, ScrapeRequest>;

// Reads a request target ("/announce?..." or "/scrape?..."); the path may have a prefix
// ("/tracker/announce"), as BEP 48 derives the scrape URL by replacing the last "announce". Refused, with the
// parameter named: an unknown path, a missing or malformed required parameter, a number out of range, an
// unknown event. Unknown parameters (key, trackerid, ip, supportcrypto...) are ignored, as trackers do.
Expected<TrackerRequest> parse_tracker_target(std::string_view target);

// The query string a client appends to its announce URL (after '?', or '&' if the URL has a query already).
std::string announce_query(const AnnounceRequest& request);

}  // namespace p2p::bittorrent
