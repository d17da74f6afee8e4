// Peer: the status record (progress, rates, piece availability, per-peer choking and interest).
#include <algorithm>

#include "bittorrent/peer.h"
#include "common/util/encoding.h"

namespace p2p::bittorrent {

nlohmann::json Peer::peer_list() const {
  TimePoint now = runtime_.now();
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [id, conn] : conns_) {
    if (conn.stage == PeerConnection::Stage::Active) out.push_back(conn.status(now));
  }
  return out;
}

// The fields a dashboard and a lab summary read (names are part of the telemetry contract):
//   peer_id (hex), state (leeching | seeding | leaving), pieces, have, progress, bitfield (hex, BEP 3 order),
//   downloaded, uploaded, down_bps, up_bps (payload, bits/s, 20 s window), from_seeds, from_leechers,
//   completed_s (null until complete), verified, endgame, connections, unchoked, interested_peers,
//   availability (copies of each piece among connected peers), min_availability, failed_pieces, banned,
//   wasted, requests_dropped, requests_timed_out, tracker_announces, tracker_failures, peers
//   [PeerConnection::status].
nlohmann::json Peer::status() const {
  TimePoint now = runtime_.now();
  const PieceSet& have = picker_.have();
  double down = 0, up = 0;
  std::size_t unchoked = 0, interested = 0;
  for (const auto& [id, conn] : conns_) {
    down += conn.down.rate(now);
    up += conn.up.rate(now);
    unchoked += conn.am_choking ? 0 : 1;
    interested += conn.peer_interested ? 1 : 0;
  }
  auto availability = picker_.availability();
  std::uint32_t min_availability = availability.empty() ? 0 : *std::ranges::min_element(availability);
  std::optional<Duration> done = completed_after();
  return {{"peer_id", to_hex(peer_id_)},
          {"state", leaving_     ? "leaving"
                    : complete() ? "seeding"
                                 : "leeching"},
          {"pieces", layout_.piece_count()},
          {"have", have.count()},
          {"progress",
           layout_.piece_count() == 0 ? 1.0 : static_cast<double>(have.count()) / layout_.piece_count()},
          {"bitfield", to_hex(have.bitfield())},
          {"downloaded", downloaded_},
          {"uploaded", uploaded_},
          {"down_bps", down * 8},
          {"up_bps", up * 8},
          {"from_seeds", from_seeds_},
          {"from_leechers", from_leechers_},
          {"completed_s", done ? nlohmann::json(to_seconds(*done)) : nlohmann::json()},
          {"verified", verified_},
          {"endgame", picker_.in_endgame()},
          {"connections", conns_.size()},
          {"unchoked", unchoked},
          {"interested_peers", interested},
          {"availability", std::vector<std::uint32_t>(availability.begin(), availability.end())},
          {"min_availability", min_availability},
          {"failed_pieces", failed_pieces_},
          {"banned", banned_},
          {"wasted", wasted_},
          {"requests_dropped", requests_dropped_},
          {"requests_timed_out", requests_timed_out_},
          {"tracker_announces", tracker_ ? tracker_->announces() : 0},
          {"tracker_failures", tracker_ ? tracker_->failures() : 0},
          {"peers", peer_list()}};
}

}  // namespace p2p::bittorrent
