// PeerConnection: what a peer knows about one remote peer (BEP 3 connection state, requests, rates).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "bittorrent/choker.h"
#include "bittorrent/dial_list.h"
#include "bittorrent/piece_picker.h"
#include "bittorrent/rate_meter.h"
#include "bittorrent/wire.h"
#include "common/net/endpoint.h"

namespace p2p::bittorrent {

// The state of one connection, as BEP 3 describes it: each side is choking or not and interested or not,
// starting "choking and not interested". Connections start AwaitingHandshake; they become Active once both
// handshakes are through, and only then carry messages.
struct PeerConnection {
  enum class Stage { AwaitingHandshake, Active };

  PeerConnection(ConnId id, bool inbound, Endpoint remote, std::size_t piece_count, TimePoint now)
      : id(id),
        inbound(inbound),
        remote(std::move(remote)),
        pieces(piece_count),
        down(now),
        up(now),
        connected_at(now),
        last_received(now),
        last_sent(now) {}

  ConnId id;
  bool inbound;
  // The address dialled, or where an inbound connection came from: the caller's address and its outgoing
  // port (0 in SimNet), not where it listens (PeerExtensions::listen_of).
  Endpoint remote;
  Stage stage = Stage::AwaitingHandshake;
  PeerId peer_id{};
  std::optional<PeerSource> source;  // where we learned the address we dialled; none for inbound
  PieceSet pieces;                   // what it has, from its bitfield and haves

  bool am_choking = true;
  bool am_interested = false;
  bool peer_choking = true;
  bool peer_interested = false;
  bool optimistic = false;  // unchoked by the optimistic slot (telemetry)

  std::vector<BlockRef> requested;  // ours to it, not yet answered
  std::deque<Request> queue;        // its requests to us, not yet served

  RateMeter down;  // payload bytes it sent us
  RateMeter up;    // payload bytes we sent it
  TimePoint connected_at;
  TimePoint last_received;
  TimePoint last_sent;
  std::optional<TimePoint> last_piece_at;
  std::optional<TimePoint> unchoked_at;  // when we last unchoked it (a seed's choker keeps the newest)
  // When our oldest unanswered request went out, or it last sent a block: the request timeout counts from
  // here.
  TimePoint request_progress_at;
  bool stalled = false;       // its requests timed out; one at a time until it sends a block
  std::uint32_t strikes = 0;  // pieces it contributed to that failed their hash
  std::uint64_t requests_dropped = 0;

  bool is_seed() const { return pieces.size() > 0 && pieces.all(); }
  // How many blocks to keep requested from it: enough to cover `cover` of its measured rate, so a fast peer
  // is never idle waiting for the next request, within [min_depth, max_depth].
  std::size_t request_depth(TimePoint now, Duration cover, std::size_t min_depth,
                            std::size_t max_depth) const;
  PeerView view(TimePoint now) const;
  nlohmann::json status(TimePoint now) const;
};

}  // namespace p2p::bittorrent
