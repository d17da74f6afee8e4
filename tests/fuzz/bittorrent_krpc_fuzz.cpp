// Fuzz target for the KRPC decoder (BEP 5): any datagram decodes or fails with a reason, and whatever
// decodes re-encodes to a message that decodes to itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "bittorrent/dht/krpc.h"

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace dht = p2p::bittorrent::dht;
  auto message = dht::decode_krpc(p2p::ByteView(data, size));
  if (!message) {
    if (message.reason().empty()) std::abort();
    return 0;
  }
  auto again = dht::decode_krpc(dht::encode_krpc(*message));
  if (!again || !(*again == *message)) std::abort();
  return 0;
}
