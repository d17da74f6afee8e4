// PexSender: what one connection is told by ut_pex (BEP 11), and when.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "bittorrent/extension/ut_pex.h"
#include "common/net/endpoint.h"
#include "common/util/time.h"

namespace p2p::bittorrent::extension {

struct PexSenderConfig {
  Duration interval = kPexInterval;        // the least time between two messages
  std::size_t max_added = kMaxPexPeers;    // per message
  std::size_t max_dropped = kMaxPexPeers;  // per message
};

// Tracks which peers one remote was told about, and decides the next ut_pex message to it: the peers
// connected since the last message (added) and those gone since (dropped), at most one message per
// `interval` and at most max_added and max_dropped peers in it (BEP 11). The remote's picture is exactly what
// was sent: a peer that came and went between two messages is never mentioned, and what did not fit in one
// message goes in the next. The first message, when the connection has just finished its extension
// handshake, may go at once.
class PexSender {
 public:
  // `recipient`: the listen endpoint of the remote (its handshake's `p`), never advertised to itself.
  explicit PexSender(Endpoint recipient, PexSenderConfig config = {});

  // `connected`: the peers this node is connected to now, by listen endpoint. Returns the message to send
  // now, or nullopt when one went less than `interval` ago or nothing changed since.
  std::optional<PexMessage> next(const std::vector<PexPeer>& connected, TimePoint now);
  // False while a message went less than `interval` ago: next() would send nothing whatever is connected.
  bool due(TimePoint now) const { return !last_sent_ || now - *last_sent_ >= config_.interval; }

  // The peers the remote was told about and not told were dropped, with their flags.
  const std::map<Endpoint, std::uint8_t>& advertised() const { return advertised_; }

 private:
  Endpoint recipient_;
  PexSenderConfig config_;
  std::map<Endpoint, std::uint8_t> advertised_;
  std::optional<TimePoint> last_sent_;
};

}  // namespace p2p::bittorrent::extension
