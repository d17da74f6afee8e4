// gnutella-servent: one Gnutella 0.6 servent as a process (the Servent core on the Host).
#include "common/host/host.h"
#include "gnutella/app/servent_options.h"

int main(int argc, char** argv) {
  using namespace p2p::gnutella;
  return p2p::core_main<Servent>(argc, argv, "gnutella-servent",
                                 "A Gnutella 0.6 servent: joins the overlay, answers pings from its pong "
                                 "cache, floods queries with a TTL, "
                                 "and serves and fetches files over HTTP on its port.",
                                 add_servent_options, read_servent_options);
}
