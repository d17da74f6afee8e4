// Fuzz target for the ut_metadata decoder (BEP 9): any payload decodes or fails with a reason, whatever
// decodes round-trips, and decoded data goes into a MetadataAssembler that refuses or keeps it safely.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <variant>

#include "bittorrent/extension/metadata_assembler.h"
#include "bittorrent/extension/ut_metadata.h"

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace ext = p2p::bittorrent::extension;
  auto message = ext::decode_metadata_message(p2p::ByteView(data, size));
  if (!message) {
    if (message.reason().empty()) std::abort();
    return 0;
  }
  p2p::Bytes encoded = ext::encode_metadata_message(*message);
  auto again = ext::decode_metadata_message(encoded);
  if (!again || !(*again == *message)) std::abort();

  if (const auto* piece = std::get_if<ext::MetadataData>(&*message)) {
    // A torrent of 40,000 bytes of metadata: the piece is refused unless it is one of its three.
    auto assembler = ext::MetadataAssembler::create({.info_hash = {}, .metadata_size = 40000});
    auto progress = assembler->on_data(*piece);
    if (progress && piece->total_size != 40000) std::abort();
  }
  return 0;
}
