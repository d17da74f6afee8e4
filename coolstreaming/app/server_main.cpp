// cs-server: the CoolStreaming hybrid assist server as a process (the Server core on the Host).
#include "common/host/host.h"
#include "coolstreaming/app/server_options.h"

int main(int argc, char** argv) {
  using namespace p2p::coolstreaming;
  return p2p::core_main<Server>(
      argc, argv, "cs-server",
      "The CoolStreaming hybrid assist server: fed every segment by --source, it is "
      "where newcomers start and where peers fetch the urgent segments no partner "
      "can deliver in time.",
      add_server_options, read_server_options);
}
