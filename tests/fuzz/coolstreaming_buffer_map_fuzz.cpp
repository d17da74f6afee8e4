// Fuzz target for the buffer-map decoder: the input is a window start (4 bytes, big-endian), a window
// length (2 bytes, big-endian) and the bitmap. Any bytes decode or fail cleanly, and whatever decodes packs
// back to the same bitmap and survives a slide of its window.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "common/util/bytes.h"
#include "coolstreaming/buffer_map.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace p2p;
  using namespace p2p::coolstreaming;
  ByteReader reader(ByteView(data, size));
  auto start = reader.u32be();
  auto length = reader.u16be();
  if (!start || !length) return 0;
  ByteView bits = reader.rest();
  auto map = BufferMap::unpack(*start, *length, bits);
  if (!map) return 0;
  if (map->packed() != Bytes(bits.begin(), bits.end())) std::abort();
  std::size_t set_bits = 0;
  for (std::uint8_t byte : bits) set_bits += static_cast<std::size_t>(std::popcount(byte));
  if (map->count() != set_bits) std::abort();
  // Slide by a third of the window where the segment range allows it: the segments that stay are still held.
  const SegmentId step = map->length() / 3u;
  if (map->last() <= std::uint64_t{0xffffffffu} - step) {
    BufferMap slid = *map;
    slid.advance_to(map->start() + step);
    for (std::uint64_t s = slid.start(); s <= map->last(); ++s) {  // 64 bits: the window may end at 2^32 - 1
      if (slid.has(static_cast<SegmentId>(s)) != map->has(static_cast<SegmentId>(s))) std::abort();
    }
  }
  return 0;
}
