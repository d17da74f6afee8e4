// Fuzz target for the extension protocol in the BitTorrent cores: after a valid handshake with BEP 10's bit,
// any byte stream (extension handshakes, ut_pex, ut_metadata, anything) reaches a seeding Peer and a
// MagnetPeer fetching the metadata, through the framers a runtime would use; neither may crash.
#include <cstddef>
#include <cstdint>

#include "bittorrent/extension_wire.h"
#include "bittorrent/magnet_peer.h"
#include "bittorrent/memory_storage.h"
#include "bittorrent/synthetic_content.h"
#include "tests/fuzz/core_fuzz.h"

using namespace p2p;
using namespace p2p::bittorrent;

namespace {

const Metainfo& torrent() {
  static const Metainfo metainfo = [] {
    SyntheticContent content;
    content.size = 4 * kBlockSize;
    content.piece_length = kBlockSize;
    content.announce = "http://127.0.0.1:1/announce";
    return *parse_metainfo(*make_synthetic_torrent(content));
  }();
  return metainfo;
}

// The remote's handshake (with the extension bit), then the fuzzed bytes.
Bytes stream(ByteView input) {
  PeerId remote{};
  remote.fill('f');
  Bytes out = encode_handshake(our_handshake(torrent().info_hash, remote));
  out.insert(out.end(), input.begin(), input.end());
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Bytes bytes = stream(ByteView(data, size));
  {
    testing::FakeRuntime runtime;
    PeerConfig config;
    config.metainfo = std::make_shared<const Metainfo>(torrent());
    config.storage =
        std::make_shared<MemoryStorage>(torrent().layout(), Bytes(torrent().total_length, std::uint8_t{7}));
    config.have = PieceSet::full(torrent().piece_count());
    Peer peer(runtime, config);
    runtime.attach(peer);
    peer.on_start();
    fuzz::feed_in_two_segments(runtime, peer, runtime.accept(peer), true, bytes, std::chrono::seconds(20));
  }
  {
    testing::FakeRuntime runtime;
    MagnetPeerConfig config;
    config.link.info_hash = torrent().info_hash;
    config.open = [](ByteView, PeerConfig&) -> Status { return make_error("not in this target"); };
    MagnetPeer magnet(runtime, config);
    runtime.attach(magnet);
    magnet.on_start();
    fuzz::feed_in_two_segments(runtime, magnet, runtime.accept(magnet), true, bytes,
                               std::chrono::seconds(20));
  }
  return 0;
}
