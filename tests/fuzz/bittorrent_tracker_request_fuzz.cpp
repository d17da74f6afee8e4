// Fuzz target: bytes a tracker receives, read as HTTP heads by Beast in two cuts (several, pipelined, on a
// persistent connection) and parsed as announces or scrapes, never crash, and an announce that parses
// re-encodes to a query that parses to the same request.
#include <cstdint>
#include <cstdlib>

#include "bittorrent/http_message.h"
#include "bittorrent/tracker_request.h"

namespace bt = p2p::bittorrent;

namespace {

void check_round_trip(const bt::HttpRequestHead& head) {
  auto request = bt::parse_tracker_target(head.target);
  if (!request) return;
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
}

}  // namespace

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  p2p::ByteView input(data, size);
  std::size_t cut = size == 0 ? 0 : data[0] % (size + 1);
  p2p::ByteView rest = input.subspan(cut);
  bt::HttpRequestReader reader;
  auto head = reader.feed(input.first(cut));
  // Each head found is checked; a persistent connection's next request is read from what follows it.
  for (int requests = 0; head && requests < 64; ++requests) {
    if (!*head) {
      if (rest.empty()) break;
      head = reader.feed(rest);
      rest = {};
      continue;
    }
    check_round_trip(**head);
    if (!(*head)->keep_alive) break;
    reader.next();
    head = reader.feed({});
  }
  return 0;
}
