// Fuzz target for the KRPC decoder (BEP 5): any datagram decodes or fails with a reason, whatever decodes
// re-encodes to a message that decodes to itself, and a refused one is searched for a transaction id safely.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "bittorrent/dht/krpc.h"

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace dht = p2p::bittorrent::dht;
  p2p::ByteView input(data, size);
  auto message = dht::decode_krpc(input);
  if (!message) {
    if (message.reason().empty()) std::abort();
    // What the node does next with a refused datagram: look for a query's transaction id to answer 203.
    (void)dht::malformed_query_transaction(input);
    return 0;
  }
  auto again = dht::decode_krpc(dht::encode_krpc(*message));
  if (!again || !(*again == *message)) std::abort();
  return 0;
}
