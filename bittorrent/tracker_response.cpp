// Tracker response bodies: bencoded with the project's encoder, read with its strict decoder.
#include "bittorrent/tracker_response.h"

#include <algorithm>

#include "bittorrent/bencode.h"

namespace p2p::bittorrent {
namespace {

Error refuse(const std::string& why) {
  return make_error("tracker response: " + why);
}

// A dotted IPv4 address and a non-zero port, or nullopt.
std::optional<TrackerPeer> dictionary_peer(std::string_view ip, std::int64_t port) {
  std::uint32_t address = Endpoint{std::string(ip), 0}.ipv4();
  if (port <= 0 || port > 65535 || address == 0) return std::nullopt;
  return TrackerPeer{address, static_cast<std::uint16_t>(port), std::nullopt};
}

Expected<std::vector<TrackerPeer>> compact_peers(const std::string& bytes) {
  if (bytes.size() % 6 != 0) return refuse("compact peers of " + std::to_string(bytes.size()) + " bytes");
  std::vector<TrackerPeer> out;
  ByteReader reader(as_bytes(bytes));
  while (!reader.empty() && out.size() < kMaxAnswerPeers) {
    std::uint32_t address = *reader.u32be();
    std::uint16_t port = *reader.u16be();
    if (port == 0 || address == 0) continue;
    out.push_back(TrackerPeer{address, port, std::nullopt});
  }
  return out;
}

std::vector<TrackerPeer> dictionary_peers(const List& list) {
  std::vector<TrackerPeer> out;
  for (const Value& entry : list) {
    if (out.size() == kMaxAnswerPeers) break;
    const Value* ip = entry.find("ip");
    const Value* port = entry.find("port");
    if (ip == nullptr || port == nullptr || !ip->if_string() || !port->if_int()) continue;
    auto found = dictionary_peer(*ip->if_string(), *port->if_int());
    if (!found) continue;
    TrackerPeer peer = *found;
    const Value* id = entry.find("peer id");
    if (id != nullptr && id->if_string() && id->if_string()->size() == 20) {
      peer.peer_id.emplace();
      std::ranges::copy(*id->if_string(), peer.peer_id->begin());
    }
    out.push_back(std::move(peer));
  }
  return out;
}

std::int64_t int_or(const Dict& dict, std::string_view key, std::int64_t fallback) {
  auto it = dict.find(key);
  return it != dict.end() && it->second.if_int() ? *it->second.if_int() : fallback;
}

}  // namespace

Bytes encode_announce_response(const AnnounceResponse& response, bool compact, bool with_peer_ids) {
  Dict out{
      {"interval", response.interval}, {"complete", response.complete}, {"incomplete", response.incomplete}};
  if (response.min_interval) out["min interval"] = *response.min_interval;
  if (!response.warning.empty()) out["warning message"] = response.warning;
  if (compact) {
    ByteWriter peers(response.peers.size() * 6);
    for (const TrackerPeer& peer : response.peers) peers.u32be(peer.address).u16be(peer.port);
    out["peers"] = std::string(as_chars(peers.view()));
  } else {
    List peers;
    for (const TrackerPeer& peer : response.peers) {
      Dict entry{{"ip", peer.endpoint().host}, {"port", peer.port}};
      if (with_peer_ids && peer.peer_id) entry["peer id"] = std::string(as_chars(*peer.peer_id));
      peers.emplace_back(std::move(entry));
    }
    out["peers"] = std::move(peers);
  }
  return encode(out);
}

Bytes encode_failure(std::string_view reason) {
  return encode(Dict{{"failure reason", std::string(reason)}});
}

Bytes encode_scrape_response(const std::vector<ScrapeFile>& files) {
  Dict by_hash;
  for (const ScrapeFile& file : files) {
    by_hash[std::string(as_chars(file.info_hash))] =
        Dict{{"complete", file.complete}, {"downloaded", file.downloaded}, {"incomplete", file.incomplete}};
  }
  return encode(Dict{{"files", std::move(by_hash)}});
}

Expected<std::variant<AnnounceResponse, TrackerFailure>> parse_announce_response(ByteView body) {
  DecodeLimits limits;
  limits.max_input = 1 << 20;
  auto decoded = decode(body, limits);
  if (!decoded) return refuse(decoded.reason());
  const Dict* dict = decoded->if_dict();
  if (dict == nullptr) return refuse("not a dictionary");
  if (const Value* failure = decoded->find("failure reason")) {
    const std::string* reason = failure->if_string();
    return std::variant<AnnounceResponse, TrackerFailure>(TrackerFailure{reason ? *reason : "(no reason)"});
  }
  AnnounceResponse out;
  const Value* interval = decoded->find("interval");
  if (interval == nullptr || !interval->if_int() || *interval->if_int() < 0)
    return refuse("no valid interval");
  out.interval = *interval->if_int();
  if (const Value* min = decoded->find("min interval"); min != nullptr && min->if_int())
    out.min_interval = *min->if_int();
  out.complete = int_or(*dict, "complete", 0);
  out.incomplete = int_or(*dict, "incomplete", 0);
  if (const Value* warning = decoded->find("warning message"); warning != nullptr && warning->if_string()) {
    out.warning = *warning->if_string();
  }
  const Value* peers = decoded->find("peers");
  if (peers == nullptr) return refuse("no peers");
  if (const std::string* compact = peers->if_string()) {
    auto list = compact_peers(*compact);
    if (!list) return list.error();
    out.peers = std::move(list).value();
  } else if (const List* list = peers->if_list()) {
    out.peers = dictionary_peers(*list);
  } else {
    return refuse("peers is neither a string nor a list");
  }
  return std::variant<AnnounceResponse, TrackerFailure>(std::move(out));
}

}  // namespace p2p::bittorrent
