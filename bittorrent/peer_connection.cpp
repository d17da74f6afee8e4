// PeerConnection: request depth from the measured rate, the choker's view, and the telemetry entry.
#include "bittorrent/peer_connection.h"

#include <algorithm>

#include "bittorrent/torrent_layout.h"
#include "common/util/encoding.h"

namespace p2p::bittorrent {

std::size_t PeerConnection::request_depth(TimePoint now, Duration cover, std::size_t min_depth,
                                          std::size_t max_depth) const {
  double blocks = down.rate(now) * to_seconds(cover) / kBlockSize;
  return std::clamp(static_cast<std::size_t>(blocks), min_depth, max_depth);
}

PeerView PeerConnection::view(TimePoint now) const {
  return PeerView{.id = id,
                  .interested = peer_interested,
                  .rate_to_us = down.rate(now),
                  .rate_from_us = up.rate(now),
                  .connected_at = connected_at,
                  .last_piece_at = last_piece_at,
                  .chokes_us = peer_choking,
                  .unchoked = !am_choking,
                  .unchoked_at = unchoked_at,
                  .requests_waiting = !queue.empty()};
}

nlohmann::json PeerConnection::status(TimePoint now) const {
  return {{"peer_id", to_hex(peer_id)},
          {"addr", remote.str()},
          {"inbound", inbound},
          {"source", source ? nlohmann::json(peer_source_name(*source)) : nlohmann::json()},
          {"seed", is_seed()},
          {"have", pieces.count()},
          {"am_choking", am_choking},
          {"am_interested", am_interested},
          {"peer_choking", peer_choking},
          {"peer_interested", peer_interested},
          {"optimistic", optimistic},
          {"down_bps", down.rate(now) * 8},
          {"up_bps", up.rate(now) * 8},
          {"downloaded", down.total()},
          {"uploaded", up.total()}};
}

}  // namespace p2p::bittorrent
