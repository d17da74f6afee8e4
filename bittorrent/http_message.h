// HTTP/1.x for the tracker: reading request and response heads with Boost.Beast's parser, and writing them.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/util/bytes.h"
#include "common/util/expected.h"

namespace p2p::bittorrent {

// Caps on what a tracker or a tracker client reads from an untrusted peer. An announce line is well under
// 1 KiB; a compact answer for 200 peers is about 1.3 KiB, and a dictionary answer about 15 KiB.
inline constexpr std::size_t kMaxHttpHead = 8 * 1024;
inline constexpr std::size_t kMaxHttpBody = 256 * 1024;

struct HttpRequestHead {
  std::string method;     // "GET"
  std::string target;     // "/announce?info_hash=...", still %-escaped
  unsigned version = 11;  // 10 for HTTP/1.0, 11 for HTTP/1.1
  // The client wants the connection kept for another request: HTTP/1.1 unless it sent "Connection: close",
  // HTTP/1.0 only with "Connection: keep-alive" (RFC 7230 section 6.3).
  bool keep_alive = false;
};

// Whether a response leaves the connection open for the client's next request.
enum class HttpConnection { Close, KeepAlive };

struct HttpResponseMessage {
  int status = 0;
  std::string body;
};

// Reads request heads as their bytes arrive, in any cut (RFC 7230, parsed by Boost.Beast: the project writes
// no HTTP parser of its own). A tracker request has no body, so one that announces a body is refused. On a
// persistent connection, next() starts on the following request; bytes already received for it are kept.
class HttpRequestReader {
 public:
  HttpRequestReader();
  ~HttpRequestReader();
  HttpRequestReader(HttpRequestReader&&) noexcept;
  HttpRequestReader& operator=(HttpRequestReader&&) noexcept;

  // nullopt until the head is complete; an error, with Beast's reason, once the bytes can never be a request.
  Expected<std::optional<HttpRequestHead>> feed(ByteView bytes);
  // Forgets the request just read; feed() then parses what followed it (pass no bytes to see if it is whole).
  void next();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Reads one response, head and body, as its bytes arrive. The body ends by Content-Length, by chunked
// encoding, or, as most trackers do with "Connection: close", when the server closes the connection.
class HttpResponseReader {
 public:
  HttpResponseReader();
  ~HttpResponseReader();
  HttpResponseReader(HttpResponseReader&&) noexcept;
  HttpResponseReader& operator=(HttpResponseReader&&) noexcept;

  Expected<std::optional<HttpResponseMessage>> feed(ByteView bytes);
  // The server closed the connection: the response is whatever arrived, if it is complete.
  Expected<HttpResponseMessage> finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// A whole response: the status line, Content-Type, Content-Length, "Connection: close" or "keep-alive", the
// body.
Bytes format_http_response(int status, std::string_view reason, std::string_view content_type, ByteView body,
                           HttpConnection connection);
// A GET request for `target` on `host` ("127.0.0.1:6969"), asking the server to close when done.
Bytes format_http_get(std::string_view target, std::string_view host, std::string_view user_agent);

}  // namespace p2p::bittorrent
