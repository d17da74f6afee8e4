// kazaa-node: one KaZaA node as a process (the KazaaNode core on the Host), ordinary, supernode or elected.
#include "common/host/host.h"
#include "kazaa/app/node_options.h"

int main(int argc, char** argv) {
  using namespace p2p::kazaa;
  return p2p::core_main<KazaaNode>(
      argc, argv, "kazaa-node",
      "A KaZaA (FastTrack) node: an ordinary node attaches to the supernode with the "
      "lowest RTT, shares its files through it and searches through it; a supernode "
      "indexes its children's files and drives their searches across other "
      "supernodes. Files move over HTTP on the same port.",
      add_kazaa_options, read_kazaa_options);
}
