// Fuzz target: the bytes of an HTTP file-transfer head, cut into lines by the LineFramer and fed to the
// request and response parsers a node uses on its port, then the /get/ and /.hash= targets of every request.
#include <cstdint>
#include <cstdlib>

#include "common/http/file_requests.h"
#include "common/net/framer.h"

namespace {

using namespace p2p;
using namespace p2p::http;

// Feeds every line to `parser`; for each head it completes, calls `check`.
template <typename HeadParser, typename Check>
void feed_all(const std::uint8_t* data, std::size_t size, HeadParser& parser, Check check) {
  FrameAssembler assembler(std::make_unique<LineFramer>(kMaxLine));
  assembler.append(ByteView(data, size));
  (void)assembler.drain([&](ByteView line) {
    auto fed = parser.feed(line);
    if (!fed) return false;  // the node refuses and closes here
    if (fed->has_value()) check(**fed);
    return true;
  });
}

}  // namespace

// A parsed head must respect the caps, its printed form must read back as the same head, and a target that
// parses must survive the downloader's own formatting unchanged.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  RequestParser requests;
  feed_all(data, size, requests, [](const Request& request) {
    if (request.headers.size() > kMaxHeaders) std::abort();
    auto reread = parse_request(to_text(request));
    if (reread && !(*reread == request)) std::abort();
    if (auto target = parse_get_target(request.target)) {
      auto again = parse_get_target(get_target(*target));
      if (!again || !(*again == *target)) std::abort();
    }
    if (auto hash = parse_hash_target(request.target)) {
      auto again = parse_hash_target(hash_target(*hash));
      if (!again || *again != *hash) std::abort();
    }
  });
  ResponseParser responses;
  feed_all(data, size, responses, [](const Response& response) {
    if (response.headers.size() > kMaxHeaders) std::abort();
    auto reread = parse_response(to_text(response));
    if (reread && !(*reread == response)) std::abort();
    (void)response.content_length();
  });
  return 0;
}
