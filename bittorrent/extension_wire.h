// Our side of BEP 10 on a peer connection: the handshake with the extension bit, our extension handshake,
// and extended messages under the ids a remote chose.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "bittorrent/extension/extension_handshake.h"
#include "bittorrent/peer_connection.h"
#include "bittorrent/wire.h"

namespace p2p::bittorrent {

// The extended ids we ask peers to send each extension under (BEP 10: the receiver chooses them); the same
// as libtorrent's, which makes captures easy to compare.
inline constexpr std::uint8_t kOurUtPexId = 1;
inline constexpr std::uint8_t kOurUtMetadataId = 2;
// `v` of our extension handshake: the client's name and version (BEP 10).
inline constexpr std::string_view kClientVersion = "p2plab 0.1";

// What we say about ourselves in the extension handshake.
struct OurExtensions {
  bool pex = false;                          // `m` offers ut_pex
  std::uint16_t listen_port = 0;             // `p`
  std::optional<std::size_t> metadata_size;  // BEP 9: only once we hold the verified info dictionary
  std::uint32_t reqq = 0;                    // requests we queue per peer
};

// The BitTorrent handshake with BEP 10's reserved bit set: every p2plab peer speaks the extension protocol;
// and with BEP 5's when it runs a DHT node (`dht`).
Handshake our_handshake(const Sha1Digest& info_hash, const PeerId& peer_id, bool dht = false);
// Extended message 0: our extension handshake, offering ut_metadata and, when on, ut_pex.
Bytes our_extension_handshake(const OurExtensions& ours);
// An extended message carrying `payload` under `id`, the id the remote gave the extension.
Bytes extended_message(std::uint8_t id, ByteView payload);
// Where the remote accepts connections: the address we dialled, or for an inbound connection its address
// with the port of its extension handshake (`p`); port 0 when it gave none.
Endpoint listen_endpoint(const PeerConnection& conn, const extension::ExtensionHandshake& theirs);

}  // namespace p2p::bittorrent
