// Fuzz target: a peer's byte stream cut by WireFramer and decoded never crashes, and every decoded message
// re-encodes to the frame it came from.
#include <cstdint>
#include <cstdlib>
#include <memory>

#include "bittorrent/piece_set.h"
#include "bittorrent/wire.h"

namespace bt = p2p::bittorrent;

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kPieces = 100;
  // A connection that announced BEP 10, so extended messages up to their larger cap get through.
  p2p::FrameAssembler assembler(std::make_unique<bt::WireFramer>(kPieces, true));
  assembler.append(p2p::ByteView(data, size));
  bool first = true;
  (void)assembler.drain([&](p2p::ByteView frame) {
    if (first) {
      first = false;
      auto handshake = bt::decode_handshake(frame);
      if (handshake && bt::encode_handshake(*handshake) != p2p::Bytes(frame.begin(), frame.end()))
        std::abort();
      return true;
    }
    auto message = bt::decode_message(frame);
    if (!message) return true;
    if (bt::encode_message(*message) != p2p::Bytes(frame.begin(), frame.end())) std::abort();
    if (const auto* bitfield = std::get_if<bt::Bitfield>(&*message)) {
      auto pieces = bt::PieceSet::from_bitfield(bitfield->bits, kPieces);
      if (pieces && pieces->count() > kPieces) std::abort();
    }
    return true;
  });
  return 0;
}
