// Tracker responses (BEP 3, BEP 23, BEP 48): bencoded announce and scrape answers, written and read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bittorrent/wire.h"
#include "common/net/endpoint.h"
#include "common/util/bytes.h"
#include "common/util/expected.h"
#include "common/util/hash.h"

namespace p2p::bittorrent {

// The address is a number, as the compact form carries it (BEP 23): a tracker answers thousands of announces
// a second, each with up to 50 peers, and turning each into text and back cost it a tenth of its user time.
struct TrackerPeer {
  std::uint32_t address = 0;  // IPv4, host order
  std::uint16_t port = 0;
  std::optional<PeerId> peer_id;  // only in the dictionary form, and not with no_peer_id

  Endpoint endpoint() const { return Endpoint::from_ipv4(address, port); }
  friend bool operator==(const TrackerPeer&, const TrackerPeer&) = default;
};

// What a tracker answers an announce: when to come back, how big the swarm is, and some peers.
struct AnnounceResponse {
  std::int64_t interval = 0;
  std::optional<std::int64_t> min_interval;
  std::int64_t complete = 0;    // seeds
  std::int64_t incomplete = 0;  // leechers
  std::vector<TrackerPeer> peers;
  std::string warning;  // "warning message": the answer still counts
};

// A tracker's refusal ("failure reason"): the client keeps its old peers and tries again later.
struct TrackerFailure {
  std::string reason;
};

// Encodes an answer with peers in the compact form (BEP 23: 6 bytes each, IPv4 then port, big-endian) or the
// dictionary form of BEP 3 (a list of {"peer id", "ip", "port"}). Peers whose address is not IPv4 are left
// out of the compact form.
Bytes encode_announce_response(const AnnounceResponse& response, bool compact, bool with_peer_ids);
Bytes encode_failure(std::string_view reason);

struct ScrapeFile {
  Sha1Digest info_hash{};
  std::int64_t complete = 0;
  std::int64_t downloaded = 0;  // completed events seen
  std::int64_t incomplete = 0;
};
// {"files": {info_hash: {"complete", "downloaded", "incomplete"}}} (BEP 48).
Bytes encode_scrape_response(const std::vector<ScrapeFile>& files);

// Reads a tracker's answer body. A "failure reason" yields a TrackerFailure. Both peer forms are accepted; a
// compact string whose length is not a multiple of 6, a port of 0, or an "ip" that is not a dotted IPv4
// address is refused (or skipped, for one bad dictionary entry among good ones). Capped at kMaxAnswerPeers.
inline constexpr std::size_t kMaxAnswerPeers = 1000;
Expected<std::variant<AnnounceResponse, TrackerFailure>> parse_announce_response(ByteView body);

}  // namespace p2p::bittorrent
