// ut_pex (BEP 11): compact peer lists with a flag byte per added peer.
#include "bittorrent/extension/ut_pex.h"

#include <string>

#include "bittorrent/bencode.h"
#include "bittorrent/dht/compact.h"

namespace p2p::bittorrent::extension {
namespace {

Error refuse(const std::string& why) {
  return make_error("ut_pex: " + why);
}

// The string under `key`, empty when the key is absent.
Expected<std::string> string_or_empty(const Value& dict, std::string_view key) {
  const Value* value = dict.find(key);
  if (value == nullptr) return std::string();
  if (value->if_string() == nullptr) return refuse("'" + std::string(key) + "' is not a string");
  return *value->if_string();
}

Expected<std::vector<Endpoint>> compact_peers(std::string_view key, std::string_view raw) {
  if (raw.size() % dht::kCompactPeerBytes != 0) {
    return refuse("'" + std::string(key) + "' of " + std::to_string(raw.size()) +
                  " bytes, not a multiple of 6");
  }
  std::vector<Endpoint> out;
  out.reserve(raw.size() / dht::kCompactPeerBytes);
  for (std::size_t at = 0; at < raw.size(); at += dht::kCompactPeerBytes) {
    auto peer = dht::decode_compact_peer(raw.substr(at, dht::kCompactPeerBytes));
    if (!peer) return refuse("'" + std::string(key) + "': " + peer.reason());
    out.push_back(std::move(peer).value());
  }
  return out;
}

}  // namespace

Bytes encode_pex(const PexMessage& message) {
  std::string added, flags, dropped;
  for (const PexPeer& peer : message.added) {
    added += dht::encode_compact_peer(peer.endpoint);
    flags.push_back(static_cast<char>(peer.flags));
  }
  for (const Endpoint& peer : message.dropped) dropped += dht::encode_compact_peer(peer);
  return encode(
      Dict{{"added", std::move(added)}, {"added.f", std::move(flags)}, {"dropped", std::move(dropped)}});
}

Expected<PexMessage> decode_pex(ByteView payload) {
  auto root = decode(payload);
  if (!root) return refuse(root.reason());
  if (root->if_dict() == nullptr) return refuse("not a dictionary");

  auto added = string_or_empty(*root, "added");
  if (!added) return added.error();
  auto flags = string_or_empty(*root, "added.f");
  if (!flags) return flags.error();
  auto dropped = string_or_empty(*root, "dropped");
  if (!dropped) return dropped.error();

  auto added_peers = compact_peers("added", *added);
  if (!added_peers) return added_peers.error();
  auto dropped_peers = compact_peers("dropped", *dropped);
  if (!dropped_peers) return dropped_peers.error();
  // added.f is optional; when present it has one byte per added peer.
  if (!flags->empty() && flags->size() != added_peers->size()) {
    return refuse("'added.f' has " + std::to_string(flags->size()) + " bytes for " +
                  std::to_string(added_peers->size()) + " added peers");
  }

  PexMessage out;
  out.added.reserve(added_peers->size());
  for (std::size_t i = 0; i < added_peers->size(); ++i) {
    auto flag = flags->empty() ? std::uint8_t{0} : static_cast<std::uint8_t>((*flags)[i]);
    out.added.push_back(PexPeer{(*added_peers)[i], flag});
  }
  out.dropped = std::move(dropped_peers).value();
  return out;
}

}  // namespace p2p::bittorrent::extension
