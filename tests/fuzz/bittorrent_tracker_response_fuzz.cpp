// Fuzz target: a tracker's answer as the client reads it (HTTP response by Beast, then the bencoded body)
// never crashes, and every answer that parses has valid peers within the cap.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "bittorrent/http_message.h"
#include "bittorrent/tracker_response.h"

namespace bt = p2p::bittorrent;

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  p2p::ByteView input(data, size);
  // The bytes as a bare body, and as a whole response ended by the server closing.
  auto check = [](p2p::ByteView body) {
    auto answer = bt::parse_announce_response(body);
    if (!answer) return;
    if (const auto* response = std::get_if<bt::AnnounceResponse>(&*answer)) {
      if (response->peers.size() > bt::kMaxAnswerPeers) std::abort();
      for (const auto& peer : response->peers) {
        if (peer.port == 0 || peer.address == 0) std::abort();
      }
    }
  };
  check(input);
  bt::HttpResponseReader reader;
  auto response = reader.feed(input);
  if (!response) return 0;
  if (*response) {
    check(p2p::as_bytes((*response)->body));
  } else if (auto closed = reader.finish()) {
    check(p2p::as_bytes(closed->body));
  }
  return 0;
}
