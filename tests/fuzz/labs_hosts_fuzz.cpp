// Fuzz target for the hosts file reader (labs/launcher/hosts.h, `p2plab run --hosts FILE`): any text is read
// into a list of hosts or refused with an error that names the file and line.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "labs/launcher/hosts.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream text(std::string(reinterpret_cast<const char*>(data), size));
  auto hosts = p2p::labs::parse_hosts_file(text, "room.hosts");
  if (!hosts && hosts.reason().rfind("room.hosts:", 0) != 0) std::abort();
  if (hosts) {
    for (const auto& host : hosts->hosts) {
      if (host.capacity == 0 || hosts->host(host.name) == nullptr) std::abort();
    }
  }
  return 0;
}
