// Fuzz target for the OpenNap decoder: any bytes decode or fail cleanly, and whatever decodes re-encodes to
// itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "napster/codec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace p2p;
  ByteView input(data, size);
  // As a connection would see it: the framer cuts, the decoder reads each whole frame.
  FrameAssembler assembler(napster::make_framer());
  assembler.append(input);
  auto drained = assembler.drain([](ByteView frame) {
    auto message = napster::decode(frame);
    if (message) {
      auto again = napster::decode(napster::encode(*message));
      if (!again || !(*again == *message)) std::abort();
    }
    return true;
  });
  (void)drained;
  // And the decoder on the raw input, which need not be a whole frame.
  (void)napster::decode(input);
  return 0;
}
