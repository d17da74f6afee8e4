// gnutella-servent: one Gnutella 0.6 servent as a process (the Servent core on the Host).
#include "common/host/host.h"
#include "gnutella/app/servent_options.h"

int main(int argc, char** argv) {
  using namespace p2p;
  NodeProgram program;
  program.name = "gnutella-servent";
  program.summary =
      "A Gnutella 0.6 servent: joins the overlay, answers pings from its pong cache, floods queries with a "
      "TTL, and serves and fetches files over HTTP on its port.";
  program.add_options = gnutella::add_servent_options;
  program.prepare = [](const po::variables_map& vm) {
    return core_from<gnutella::Servent>(gnutella::read_servent_options(vm));
  };
  return node_main(argc, argv, program);
}
