// Compact peers and nodes, read with the bounds-checked ByteReader.
#include "bittorrent/dht/compact.h"

#include <cassert>

#include "common/util/bytes.h"

namespace p2p::bittorrent::dht {
namespace {

void write_peer(const Endpoint& endpoint, ByteWriter& out) {
  std::uint32_t address = endpoint.ipv4();
  assert(address != 0 && "the DHT holds IPv4 endpoints only");
  out.u32be(address).u16be(endpoint.port);
}

// The 6 bytes at the reader; the caller checked the length.
Expected<Endpoint> read_peer(ByteReader& in) {
  std::uint32_t address = *in.u32be();
  std::uint16_t port = *in.u16be();
  if (address == 0 || port == 0) return make_error("compact peer with address or port 0");
  return Endpoint::from_ipv4(address, port);
}

}  // namespace

std::string encode_compact_peer(const Endpoint& endpoint) {
  ByteWriter out(kCompactPeerBytes);
  write_peer(endpoint, out);
  return std::string(as_chars(out.view()));
}

Expected<Endpoint> decode_compact_peer(std::string_view raw) {
  if (raw.size() != kCompactPeerBytes)
    return make_error("compact peer of " + std::to_string(raw.size()) + " bytes, not 6");
  ByteReader in(as_bytes(raw));
  return read_peer(in);
}

std::string encode_compact_nodes(const std::vector<NodeInfo>& nodes) {
  ByteWriter out(nodes.size() * kCompactNodeBytes);
  for (const NodeInfo& node : nodes) {
    out.bytes(node.id.bytes);
    write_peer(node.endpoint, out);
  }
  return std::string(as_chars(out.view()));
}

Expected<std::vector<NodeInfo>> decode_compact_nodes(std::string_view raw) {
  if (raw.size() % kCompactNodeBytes != 0)
    return make_error("compact nodes of " + std::to_string(raw.size()) + " bytes, not a multiple of 26");
  std::vector<NodeInfo> out;
  out.reserve(raw.size() / kCompactNodeBytes);
  ByteReader in(as_bytes(raw));
  while (!in.empty()) {
    NodeId id = *NodeId::from_bytes(*in.bytes(kIdBytes));
    auto endpoint = read_peer(in);
    if (!endpoint) return endpoint.error();
    out.push_back(NodeInfo{id, std::move(endpoint).value()});
  }
  return out;
}

}  // namespace p2p::bittorrent::dht
