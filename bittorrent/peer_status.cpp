// The status record of a BitTorrent peer: progress, rates, piece availability, per-peer choking and interest.
#include "bittorrent/peer_status.h"

#include <algorithm>
#include <vector>

#include "common/util/encoding.h"

namespace p2p::bittorrent {

nlohmann::json peer_status(const Peer& peer, TimePoint now) {
  const PieceSet& have = peer.have();
  const Downloader& downloader = peer.downloader();
  const Uploader& uploader = peer.uploader();
  std::size_t piece_count = peer.layout().piece_count();
  double down = 0, up = 0;
  std::size_t unchoked = 0, interested = 0;
  nlohmann::json peers = nlohmann::json::array();
  for (const auto& [id, conn] : peer.connections()) {
    down += conn.down.rate(now);
    up += conn.up.rate(now);
    unchoked += conn.am_choking ? 0 : 1;
    interested += conn.peer_interested ? 1 : 0;
    if (peer.config().status_connections && conn.stage == PeerConnection::Stage::Active)
      peers.push_back(conn.status(now));
  }
  auto availability = peer.availability();
  std::uint32_t min_availability = availability.empty() ? 0 : *std::ranges::min_element(availability);
  std::optional<Duration> done = peer.completed_after();
  const TrackerClient* tracker = peer.tracker();
  nlohmann::json status = {
      {"peer_id", to_hex(peer.peer_id())},
      {"state", peer.leaving()    ? "leaving"
                : peer.complete() ? "seeding"
                                  : "leeching"},
      {"size", peer.layout().total_length()},
      {"pieces", piece_count},
      {"have", have.count()},
      {"progress", piece_count == 0 ? 1.0 : static_cast<double>(have.count()) / piece_count},
      {"bitfield", to_hex(have.bitfield())},
      {"downloaded", downloader.downloaded()},
      {"uploaded", uploader.uploaded()},
      {"down_bps", down * 8},
      {"up_bps", up * 8},
      {"from_seeds", downloader.from_seeds()},
      {"from_leechers", downloader.from_leechers()},
      {"completed_s", done ? nlohmann::json(to_seconds(*done)) : nlohmann::json()},
      {"verified", peer.verified()},
      {"free_rider", peer.free_rider()},
      {"endgame", downloader.picker().in_endgame()},
      {"connections", peer.connections().size()},
      {"unchoked", unchoked},
      {"interested_peers", interested},
      {"availability", std::vector<std::uint32_t>(availability.begin(), availability.end())},
      {"min_availability", min_availability},
      {"failed_pieces", downloader.failed_pieces()},
      {"banned", peer.banned()},
      {"wasted", downloader.wasted()},
      {"requests_dropped", uploader.requests_dropped()},
      {"requests_duplicate", uploader.requests_duplicate()},
      {"requests_timed_out", downloader.requests_timed_out()},
      {"tracker_announces", tracker ? tracker->announces() : 0},
      {"tracker_failures", tracker ? tracker->failures() : 0},
      {"peers_via_pex", peer.peers_via_pex()},
      {"peers_via_dht", peer.peers_via_dht()},
      {"dht_table_size", peer.dht() ? peer.dht()->node().table().size() : 0},
      {"dht_ports", peer.dht_ports()}};
  status.update(peer.extensions().status());
  if (peer.config().status_connections) status["peers"] = std::move(peers);
  return status;
}

}  // namespace p2p::bittorrent
