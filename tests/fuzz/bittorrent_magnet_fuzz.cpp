// Fuzz target for the magnet link parser (BEP 9): any text parses or fails with a reason, and whatever
// parses formats to a link that parses to itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "bittorrent/extension/magnet.h"

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace ext = p2p::bittorrent::extension;
  auto link = ext::parse_magnet(p2p::as_chars(p2p::ByteView(data, size)));
  if (!link) {
    if (link.reason().empty()) std::abort();
    return 0;
  }
  auto again = ext::parse_magnet(ext::format_magnet(*link));
  if (!again || !(*again == *link)) std::abort();
  return 0;
}
