// HTTP/1.1 request and response heads (RFC 7230), as nodes fetch files from each other: Gnutella (GDF
// Gnutella 0.6, 3) and KaZaA transfers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/http/head_reader.h"
#include "common/util/bytes.h"
#include "common/util/expected.h"

namespace p2p::http {

// Caps on a head from an untrusted peer. A request line holds a 255-byte name, %-escaped at worst three bytes
// a byte, so 1 KiB is room enough; a node cuts heads with LineFramer(kMaxLine).
inline constexpr std::size_t kMaxLine = 1024;
inline constexpr std::size_t kMaxHeaders = 32;
inline constexpr std::size_t kMaxHeadBytes = 8 * 1024;

// "GET /get/12/blue_river_song_17.mp3 HTTP/1.1" and its headers.
struct Request {
  std::string method;
  std::string target;
  int minor_version = 1;  // HTTP/1.<minor>
  std::vector<HeaderField> headers;

  std::optional<std::string_view> header(std::string_view name) const { return find_header(headers, name); }
  bool operator==(const Request&) const = default;
};

// "HTTP/1.1 200 OK" and its headers; the body follows the blank line.
struct Response {
  int minor_version = 1;
  int status = 200;
  std::string reason;
  std::vector<HeaderField> headers;

  std::optional<std::string_view> header(std::string_view name) const { return find_header(headers, name); }
  // The Content-Length header: plain decimal digits, no sign, at most 18 of them.
  Expected<std::uint64_t> content_length() const;
  bool operator==(const Response&) const = default;
};

// Reads one request or response head fed line by line (each line with its CRLF), with HeadReader's rules
// and caps. Only HTTP/1.0 and HTTP/1.1 are spoken. nullopt until the blank line; an error for a malformed
// head, after which the connection should be closed.
template <typename Head>
class Parser {
 public:
  Expected<std::optional<Head>> feed(ByteView line);

 private:
  HeadReader lines_{{kMaxLine, kMaxHeaders, kMaxHeadBytes, "HTTP"}};
  Head head_;
};
using RequestParser = Parser<Request>;
using ResponseParser = Parser<Response>;

// The head as wire text, CRLF line endings and the closing blank line included.
std::string to_text(const Request& request);
std::string to_text(const Response& response);

// Parses a whole head from text (tests, tools); fails on anything but exactly one head.
Expected<Request> parse_request(std::string_view text);
Expected<Response> parse_response(std::string_view text);

}  // namespace p2p::http
