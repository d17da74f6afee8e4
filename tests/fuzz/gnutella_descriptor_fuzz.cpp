// Fuzz target: a Gnutella connection's bytes after the handshake, cut by the DescriptorFramer and decoded.
#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "common/net/framer.h"
#include "gnutella/descriptor.h"
#include "gnutella/descriptor_framer.h"

// Every decoded descriptor must encode back to exactly the bytes it came from: the decoder accepts nothing
// it cannot account for, byte for byte.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace p2p::gnutella;
  p2p::FrameAssembler assembler(std::make_unique<DescriptorFramer>());
  assembler.append(p2p::ByteView(data, size));
  (void)assembler.drain([](p2p::ByteView frame) {
    auto descriptor = decode_descriptor(frame);
    if (!descriptor) return true;
    const Header& h = descriptor->header;
    auto again = encode_descriptor(h.guid, h.ttl, h.hops, descriptor->payload);
    if (!again || !std::equal(again->begin(), again->end(), frame.begin(), frame.end())) std::abort();
    return true;
  });
  return 0;
}
