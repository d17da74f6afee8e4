// Fuzz target for the KaZaA decoder: any bytes decode or fail cleanly, and whatever decodes re-encodes to the
// very bytes it came from (the encoding is canonical: one frame per message).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "kazaa/codec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace p2p;
  ByteView input(data, size);
  // As a connection would see it: the framer cuts, the decoder reads each whole frame.
  FrameAssembler assembler(kazaa::make_framer());
  assembler.append(input);
  auto drained = assembler.drain([](ByteView frame) {
    auto message = kazaa::decode(frame);
    if (message) {
      Bytes again = kazaa::encode(*message);
      if (!std::equal(again.begin(), again.end(), frame.begin(), frame.end())) std::abort();
    }
    return true;
  });
  (void)drained;
  // And the decoder on the raw input, which need not be a whole frame.
  (void)kazaa::decode(input);
  return 0;
}
