// Our side of BEP 10: the handshake bit, our `m` dictionary, extended framing, and a remote's listen address.
#include "bittorrent/extension_wire.h"

#include <string>

#include "bittorrent/extension/ut_metadata.h"
#include "bittorrent/extension/ut_pex.h"

namespace p2p::bittorrent {

Handshake our_handshake(const Sha1Digest& info_hash, const PeerId& peer_id, bool dht) {
  Handshake handshake{{}, info_hash, peer_id};
  announce_extension_protocol(handshake);
  if (dht) announce_dht(handshake);
  return handshake;
}

Bytes our_extension_handshake(const OurExtensions& ours) {
  extension::ExtensionHandshake handshake;
  handshake.m.emplace(std::string(extension::kUtMetadata), kOurUtMetadataId);
  if (ours.pex) handshake.m.emplace(std::string(extension::kUtPex), kOurUtPexId);
  handshake.v = std::string(kClientVersion);
  if (ours.listen_port != 0) handshake.p = ours.listen_port;
  handshake.metadata_size = ours.metadata_size;
  if (ours.reqq != 0) handshake.reqq = ours.reqq;
  return extended_message(extension::kHandshakeId, extension::encode_extension_handshake(handshake));
}

Bytes extended_message(std::uint8_t id, ByteView payload) {
  return encode_message(Extended{id, payload});
}

Endpoint listen_endpoint(const PeerConnection& conn, const extension::ExtensionHandshake& theirs) {
  if (!conn.inbound) return conn.remote;
  return Endpoint{conn.remote.host, theirs.p.value_or(0)};
}

}  // namespace p2p::bittorrent
