// Fuzz target: bytes a tracker receives, read as an HTTP head by Beast in two cuts and parsed as an announce
// or scrape, never crash, and an announce that parses re-encodes to a query that parses to the same request.
#include <cstdint>
#include <cstdlib>

#include "bittorrent/http_message.h"
#include "bittorrent/tracker_request.h"

namespace bt = p2p::bittorrent;

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  p2p::ByteView input(data, size);
  std::size_t cut = size == 0 ? 0 : data[0] % (size + 1);
  bt::HttpRequestReader reader;
  auto head = reader.feed(input.first(cut));
  if (head && !*head) head = reader.feed(input.subspan(cut));
  if (!head || !*head) return 0;
  auto request = bt::parse_tracker_target((*head)->target);
  if (!request) return 0;
  if (const auto* announce = std::get_if<bt::AnnounceRequest>(&*request)) {
    auto again = bt::parse_tracker_target("/announce?" + bt::announce_query(*announce));
    if (!again) std::abort();
    const auto& back = std::get<bt::AnnounceRequest>(*again);
    if (back.info_hash != announce->info_hash || back.peer_id != announce->peer_id ||
        back.port != announce->port || back.left != announce->left || back.event != announce->event ||
        back.numwant != announce->numwant) {
      std::abort();
    }
  }
  return 0;
}
