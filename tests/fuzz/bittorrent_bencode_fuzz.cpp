// Fuzz target: the strict bencode decoder never crashes, and whatever it accepts re-encodes to the same bytes
// (accepted input is canonical, so decode and encode are inverse).
#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "bittorrent/bencode.h"

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  p2p::ByteView input(data, size);
  auto value = p2p::bittorrent::decode(input);
  if (value) {
    p2p::Bytes again = p2p::bittorrent::encode(*value);
    if (again.size() != size || !std::equal(again.begin(), again.end(), data)) std::abort();
  }
  auto dict = p2p::bittorrent::decode_dict(input);
  if (dict.ok() != (value.ok() && value->if_dict() != nullptr)) std::abort();
  return 0;
}
