// PeerExtensions: extended messages dispatched by the ids we offered; ut_pex out on a schedule, in under a
// rate limit; metadata pieces served.
#include "bittorrent/peer_extensions.h"

#include <algorithm>
#include <string>
#include <utility>

#include "bittorrent/extension/ut_metadata.h"
#include "bittorrent/extension/ut_pex.h"

namespace p2p::bittorrent {

using extension::ExtensionHandshake;
using extension::PexPeer;

PeerExtensions::PeerExtensions(Runtime& runtime, PeerExtensionsConfig config, ConnectionTable& table,
                               ByteView metadata, Learn learn)
    : runtime_(runtime), config_(config), table_(table), metadata_(metadata), learn_(std::move(learn)) {}

void PeerExtensions::on_handshake(PeerConnection& conn) {
  table_.send(conn, our_extension_handshake(config_.ours));
}

void PeerExtensions::on_extended(PeerConnection& conn, const Extended& message) {
  if (message.extended_id == extension::kHandshakeId) return on_remote_handshake(conn, message.payload);
  auto it = remotes_.find(conn.id);
  // BEP 10: messages are sent under the ids the receiver offered, and only after its handshake.
  if (it != remotes_.end() && message.extended_id == kOurUtPexId && config_.ours.pex)
    return on_pex(conn, it->second, message.payload);
  if (it != remotes_.end() && message.extended_id == kOurUtMetadataId)
    return on_metadata(conn, it->second, message.payload);
  ++unknown_;
}

// BEP 10 lets a peer send its handshake again to change its ids; what it was told by PEX stays.
void PeerExtensions::on_remote_handshake(PeerConnection& conn, ByteView payload) {
  auto handshake = extension::decode_extension_handshake(payload);
  if (!handshake) return table_.close(conn, "malformed " + handshake.reason());
  Remote& remote = remotes_[conn.id];
  remote.handshake = std::move(handshake).value();
  if (config_.ours.pex && remote.handshake.id_of(extension::kUtPex) && !remote.pex)
    remote.pex.emplace(listen_endpoint(conn, remote.handshake), config_.pex_sender);
}

void PeerExtensions::on_pex(PeerConnection& conn, Remote& remote, ByteView payload) {
  auto message = extension::decode_pex(payload);
  if (!message) return table_.close(conn, "malformed " + message.reason());
  TimePoint now = runtime_.now();
  if (remote.last_pex_received && now - *remote.last_pex_received < config_.pex_accept_interval) {
    ++pex_dropped_;
    return;
  }
  remote.last_pex_received = now;
  ++pex_received_;
  std::vector<Endpoint> peers;
  for (const PexPeer& peer : message->added) {
    if (peers.size() == config_.pex_accept_peers) break;
    peers.push_back(peer.endpoint);
  }
  learn_(peers);
}

void PeerExtensions::on_metadata(PeerConnection& conn, const Remote& remote, ByteView payload) {
  auto message = extension::decode_metadata_message(payload);
  if (!message) return table_.close(conn, "malformed " + message.reason());
  const auto* request = std::get_if<extension::MetadataRequest>(&*message);
  // A peer with the metadata has no use for data or rejects; BEP 9 ignores unknown message types.
  if (request == nullptr) return;
  auto id = remote.handshake.id_of(extension::kUtMetadata);
  if (!id) return;  // it asks, but gave no id to answer under
  auto answer = extension::answer_metadata_request(*request, metadata_);
  ++(std::holds_alternative<extension::MetadataData>(answer) ? metadata_served_ : metadata_rejected_);
  table_.send(conn, extended_message(*id, extension::encode_metadata_message(answer)));
}

// Our neighbours by listen address: those we dialled, which we know to be reachable, and those that dialled
// us and told their port.
std::vector<PexPeer> PeerExtensions::connected_peers() const {
  std::vector<PexPeer> out;
  for (const auto& [id, conn] : table_.all()) {
    if (conn.stage != PeerConnection::Stage::Active) continue;
    Endpoint listen = listen_of(conn);
    if (listen.port == 0) continue;
    std::uint8_t flags =
        (conn.is_seed() ? extension::kPexSeed : 0) | (conn.inbound ? 0 : extension::kPexReachable);
    out.push_back(PexPeer{listen, flags});
  }
  return out;
}

void PeerExtensions::send_pex() {
  if (!config_.ours.pex) return;
  TimePoint now = runtime_.now();
  // Built once a remote is due, not every second: BEP 11 allows one message a minute per remote.
  std::optional<std::vector<PexPeer>> connected;
  for (auto& [id, remote] : remotes_) {
    if (!remote.pex || !remote.pex->due(now)) continue;
    auto pex_id = remote.handshake.id_of(extension::kUtPex);
    auto conn = table_.all().find(id);
    if (!pex_id || conn == table_.all().end()) continue;
    if (!connected) connected = connected_peers();
    if (auto message = remote.pex->next(*connected, now)) {
      ++pex_sent_;
      table_.send(conn->second, extended_message(*pex_id, extension::encode_pex(*message)));
    }
  }
}

Endpoint PeerExtensions::listen_of(const PeerConnection& conn) const {
  auto it = remotes_.find(conn.id);
  return it == remotes_.end() ? listen_endpoint(conn, ExtensionHandshake{})
                              : listen_endpoint(conn, it->second.handshake);
}

const ExtensionHandshake* PeerExtensions::remote(ConnId conn) const {
  auto it = remotes_.find(conn);
  return it == remotes_.end() ? nullptr : &it->second.handshake;
}

nlohmann::json PeerExtensions::status() const {
  return {{"extended_unknown", unknown_},        {"pex_sent", pex_sent_},
          {"pex_received", pex_received_},       {"pex_dropped", pex_dropped_},
          {"metadata_served", metadata_served_}, {"metadata_rejected", metadata_rejected_}};
}

}  // namespace p2p::bittorrent
