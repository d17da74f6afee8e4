// bt-dht: a BEP 5 DHT node as a process (the DhtCore on the Host), for bootstrap and for labs.
#include "bittorrent/app/dht_options.h"
#include "common/host/host.h"

int main(int argc, char** argv) {
  using namespace p2p;
  return core_main<bittorrent::dht::DhtCore>(
      argc, argv, "bt-dht",
      "A BitTorrent DHT node (BEP 5, KRPC over UDP on the listening port): answers ping, find_node, "
      "get_peers and announce_peer, joins through --bootstrap nodes and can announce a torrent.",
      bittorrent::add_dht_options, bittorrent::read_dht_options);
}
