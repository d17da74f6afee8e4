// Fuzz target for the BEP 10 extension handshake decoder: any payload decodes or fails with a reason, and
// whatever decodes re-encodes to a payload that decodes to itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "bittorrent/extension/extension_handshake.h"

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace ext = p2p::bittorrent::extension;
  auto handshake = ext::decode_extension_handshake(p2p::ByteView(data, size));
  if (!handshake) {
    if (handshake.reason().empty()) std::abort();
    return 0;
  }
  auto again = ext::decode_extension_handshake(ext::encode_extension_handshake(*handshake));
  if (!again || !(*again == *handshake)) std::abort();
  return 0;
}
