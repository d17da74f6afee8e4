// Fuzz target for the ut_pex decoder (BEP 11): any payload decodes or fails with a reason, whatever decodes
// round-trips, and a PexSender fed the decoded peers never puts more than 50 in a message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "bittorrent/extension/pex_sender.h"
#include "bittorrent/extension/ut_pex.h"

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace ext = p2p::bittorrent::extension;
  auto message = ext::decode_pex(p2p::ByteView(data, size));
  if (!message) {
    if (message.reason().empty()) std::abort();
    return 0;
  }
  auto again = ext::decode_pex(ext::encode_pex(*message));
  if (!again || !(*again == *message)) std::abort();

  // What a node does next: pass the peers it learnt on to another connection.
  ext::PexSender sender(p2p::Endpoint{"127.0.0.1", 6881});
  auto next = sender.next(message->added, p2p::TimePoint{});
  if (next && (next->added.size() > ext::kMaxPexPeers || next->dropped.size() > ext::kMaxPexPeers))
    std::abort();
  return 0;
}
