// PexSender: the diff between what a remote was told and the peers connected now, in capped slices.
#include "bittorrent/extension/pex_sender.h"

#include <utility>

namespace p2p::bittorrent::extension {

PexSender::PexSender(Endpoint recipient, PexSenderConfig config)
    : recipient_(std::move(recipient)), config_(config) {}

std::optional<PexMessage> PexSender::next(const std::vector<PexPeer>& connected, TimePoint now) {
  if (!due(now)) return std::nullopt;

  std::map<Endpoint, std::uint8_t> current;
  for (const PexPeer& peer : connected) {
    if (peer.endpoint != recipient_) current.emplace(peer.endpoint, peer.flags);
  }
  // Both maps are in endpoint order, so what does not fit is always the tail, sent next time.
  PexMessage message;
  for (const auto& [endpoint, flags] : current) {
    if (message.added.size() == config_.max_added) break;
    if (!advertised_.contains(endpoint)) message.added.push_back(PexPeer{endpoint, flags});
  }
  for (const auto& [endpoint, flags] : advertised_) {
    if (message.dropped.size() == config_.max_dropped) break;
    if (!current.contains(endpoint)) message.dropped.push_back(endpoint);
  }
  if (message.added.empty() && message.dropped.empty()) return std::nullopt;

  for (const PexPeer& peer : message.added) advertised_.emplace(peer.endpoint, peer.flags);
  for (const Endpoint& endpoint : message.dropped) advertised_.erase(endpoint);
  last_sent_ = now;
  return message;
}

}  // namespace p2p::bittorrent::extension
