// The HTTP/1.1 of Gnutella downloads: `GET /get/<index>/<name>` requests and their responses (GDF Gnutella
// 0.6, 3).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/net/endpoint.h"
#include "common/util/bytes.h"
#include "common/util/expected.h"
#include "gnutella/header_lines.h"

namespace p2p::gnutella {

// Caps on a download head from an untrusted peer. A request line holds a 255-byte name, %-escaped at worst
// three bytes a byte, so 1 KiB is room enough; the servent cuts heads with LineFramer(kMaxHttpLine).
inline constexpr std::size_t kMaxHttpLine = 1024;
inline constexpr std::size_t kMaxHttpHeaders = 32;
inline constexpr std::size_t kMaxHttpHeadBytes = 8 * 1024;

// "GET /get/12/blue_river_song_17.mp3 HTTP/1.1" and its headers.
struct HttpRequest {
  std::string method;
  std::string target;
  int minor_version = 1;  // HTTP/1.<minor>
  std::vector<HeaderField> headers;

  std::optional<std::string_view> header(std::string_view name) const { return find_header(headers, name); }
  bool operator==(const HttpRequest&) const = default;
};

// "HTTP/1.1 200 OK" and its headers; the body follows the blank line.
struct HttpResponse {
  int minor_version = 1;
  int status = 200;
  std::string reason;
  std::vector<HeaderField> headers;

  std::optional<std::string_view> header(std::string_view name) const { return find_header(headers, name); }
  // The Content-Length header: plain decimal digits, no sign, at most 18 of them.
  Expected<std::uint64_t> content_length() const;
  bool operator==(const HttpResponse&) const = default;
};

// Reads one request or response head fed line by line (each line with its CRLF), with HeadReader's rules
// and caps. Only HTTP/1.0 and HTTP/1.1 are spoken. nullopt until the blank line; an error for a malformed
// head, after which the connection should be closed.
template <typename Head>
class HttpParser {
 public:
  Expected<std::optional<Head>> feed(ByteView line);

 private:
  HeadReader lines_{{kMaxHttpLine, kMaxHttpHeaders, kMaxHttpHeadBytes, "HTTP"}};
  Head head_;
};
using HttpRequestParser = HttpParser<HttpRequest>;
using HttpResponseParser = HttpParser<HttpResponse>;

// The head as wire text, CRLF line endings and the closing blank line included.
std::string to_text(const HttpRequest& request);
std::string to_text(const HttpResponse& response);

// Parses a whole head from text (tests, tools); fails on anything but exactly one head.
Expected<HttpRequest> parse_http_request(std::string_view text);
Expected<HttpResponse> parse_http_response(std::string_view text);

// What a download asks for: the file index from the QueryHit and the file name, %-decoded.
struct FileRequest {
  std::uint32_t index = 0;
  std::string name;
  bool operator==(const FileRequest&) const = default;
};

// "/get/<index>/<name>" -> {index, name}. The name is %-decoded but not judged: the uploader still checks it
// with content::check_safe_name and against its shared files, since "%2e%2e" decodes to "..".
Expected<FileRequest> parse_get_target(std::string_view target);
// The target for a file, its name %-escaped (RFC 3986 unreserved characters stay as they are).
std::string get_target(const FileRequest& file);

// The downloader's request: GET of `file`, to `host`, asking the uploader to close when done.
HttpRequest file_request(const FileRequest& file, const Endpoint& host, std::string_view user_agent);
// The uploader's answers: 200 with the body's length, or a refusal (400, 404, 503) with no body.
HttpResponse file_response(std::uint64_t content_length, std::string_view server);
HttpResponse refusal(int status, std::string_view server);

}  // namespace p2p::gnutella
