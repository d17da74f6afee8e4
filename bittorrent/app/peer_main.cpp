// bt-peer: one BitTorrent peer as a process (the Peer core on the Host), seeding or leeching one torrent.
#include "bittorrent/app/peer_options.h"
#include "bittorrent/app/peer_setup.h"
#include "common/host/host.h"

int main(int argc, char** argv) {
  using namespace p2p;
  NodeProgram program{
      "bt-peer",
      "A BitTorrent peer (BEP 3): announces to an HTTP tracker, downloads rarest-first with SHA-1-checked "
      "pieces, uploads by tit-for-tat with an optimistic unchoke, and seeds when complete; exchanges peers "
      "(BEP 11) and starts from a magnet link by fetching the metadata from the swarm (BEP 9); with --dht on "
      "it runs a DHT node (BEP 5) that finds peers without a tracker.",
      bittorrent::add_peer_options, [](const po::variables_map& vm) -> Expected<Host::MakeCore> {
        auto options = bittorrent::read_peer_options(vm);
        if (!options) return options.error();
        if (options->magnet) {
          return core_from<bittorrent::MagnetPeer>(
              Expected<bittorrent::MagnetPeerConfig>(bittorrent::prepare_magnet_peer(*options)));
        }
        return core_from<bittorrent::Peer>(bittorrent::prepare_peer(*options));
      }};
  return node_main(argc, argv, program);
}
