// The KaZaA Wireshark dissector shipped in the repository (kazaa/kazaa.lua), as the tshark tests load it.
#pragma once

#include <cstdlib>
#include <string>

namespace p2p::interop {

// kazaa/kazaa.lua under the source tree ctest names in P2P_SOURCE (the working folder otherwise).
inline std::string kazaa_dissector_path() {
  const char* source = std::getenv("P2P_SOURCE");
  return std::string(source ? source : ".") + "/kazaa/kazaa.lua";
}

// The tshark flag that loads it: what a student types to open a lab's capture.
inline std::string kazaa_dissector_flag() {
  return "lua_script:" + kazaa_dissector_path();
}

}  // namespace p2p::interop
