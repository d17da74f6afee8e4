// Fuzz target for the CoolStreaming codec: a partner's byte stream cut by CoolStreamingFramer and decoded
// never crashes, every decoded message re-encodes to the very frame it came from, and a decoded buffer map
// never claims a segment outside its window.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "coolstreaming/codec.h"
#include "coolstreaming/framer.h"

namespace cs = p2p::coolstreaming;

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  p2p::ByteView input(data, size);
  p2p::FrameAssembler assembler(cs::make_framer());
  assembler.append(input);
  (void)assembler.drain([](p2p::ByteView frame) {
    auto message = cs::decode(frame);
    if (!message) return true;
    if (cs::encode(*message) != p2p::Bytes(frame.begin(), frame.end())) std::abort();
    if (const auto* map = std::get_if<cs::BufferMapMessage>(&*message)) {
      if (map->bitmap.size() * 8 < map->window_length || map->window_length > cs::kMaxWindowSegments)
        std::abort();
    }
    return true;
  });
  // And the decoder on the raw input, which need not be a whole frame.
  (void)cs::decode(input);
  return 0;
}
