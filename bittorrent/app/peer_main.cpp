// bt-peer: one BitTorrent peer as a process (the Peer core on the Host), seeding or leeching one torrent.
#include <malloc.h>

#include "bittorrent/app/peer_options.h"
#include "bittorrent/app/peer_setup.h"
#include "common/host/host.h"

int main(int argc, char** argv) {
  using namespace p2p;
  // Every 16 KiB block is allocated by one thread and freed by another (ZeroMQ's I/O thread frees what it
  // sent, and allocates what it received). With glibc's default 128 KiB trim threshold the heap's top was
  // returned to the kernel and faulted back in thousands of times a second: a third of a seed's CPU.
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  return core_main<bittorrent::Peer>(
      argc, argv, "bt-peer",
      "A BitTorrent peer (BEP 3): announces to an HTTP tracker, downloads rarest-first with SHA-1-checked "
      "pieces, uploads by tit-for-tat with an optimistic unchoke, and seeds when complete.",
      bittorrent::add_peer_options, [](const po::variables_map& vm) -> Expected<bittorrent::PeerConfig> {
        auto options = bittorrent::read_peer_options(vm);
        if (!options) return options.error();
        return bittorrent::prepare_peer(*options);
      });
}
