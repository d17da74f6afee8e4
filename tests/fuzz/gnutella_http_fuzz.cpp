// Fuzz target: the bytes of an HTTP download head, cut into lines by the LineFramer and fed to the request
// and response parsers the servent uses on its port, then the /get/ target of every request.
#include <cstdint>
#include <cstdlib>

#include "common/net/framer.h"
#include "gnutella/http.h"

namespace {

using namespace p2p;
using namespace p2p::gnutella;

// Feeds every line to `parser`; for each head it completes, calls `check`.
template <typename Parser, typename Check>
void feed_all(const std::uint8_t* data, std::size_t size, Parser& parser, Check check) {
  FrameAssembler assembler(std::make_unique<LineFramer>(kMaxHttpLine));
  assembler.append(ByteView(data, size));
  (void)assembler.drain([&](ByteView line) {
    auto fed = parser.feed(line);
    if (!fed) return false;  // the servent refuses and closes here
    if (fed->has_value()) check(**fed);
    return true;
  });
}

}  // namespace

// A parsed head must respect the caps, its printed form must read back as the same head, and a /get/ target
// that parses must survive the downloader's own escaping unchanged.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  HttpRequestParser requests;
  feed_all(data, size, requests, [](const HttpRequest& request) {
    if (request.headers.size() > kMaxHttpHeaders) std::abort();
    auto reread = parse_http_request(to_text(request));
    if (reread && !(*reread == request)) std::abort();
    if (auto target = parse_get_target(request.target)) {
      auto again = parse_get_target(get_target(*target));
      if (!again || !(*again == *target)) std::abort();
    }
  });
  HttpResponseParser responses;
  feed_all(data, size, responses, [](const HttpResponse& response) {
    if (response.headers.size() > kMaxHttpHeaders) std::abort();
    auto reread = parse_http_response(to_text(response));
    if (reread && !(*reread == response)) std::abort();
    (void)response.content_length();
  });
  return 0;
}
