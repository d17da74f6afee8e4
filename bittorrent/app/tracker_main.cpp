// bt-tracker: the HTTP BitTorrent tracker as a process (the Tracker core on the Host).
#include "bittorrent/app/tracker_options.h"
#include "common/host/host.h"

int main(int argc, char** argv) {
  using namespace p2p;
  return core_main<bittorrent::Tracker>(
      argc, argv, "bt-tracker",
      "An HTTP BitTorrent tracker: answers /announce (compact or dictionary peers, numwant random peers) and "
      "/scrape for the torrents it tracks.",
      bittorrent::add_tracker_options, bittorrent::read_tracker_options);
}
