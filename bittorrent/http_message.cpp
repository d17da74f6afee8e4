// HTTP/1.x heads through Boost.Beast's parser on plain buffers (no sockets, no Asio I/O).
#include "bittorrent/http_message.h"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

namespace p2p::bittorrent {
namespace {

namespace http = boost::beast::http;

Error refuse(const std::string& why) {
  return make_error("http: " + why);
}

// Beast consumes what it can and asks for more with need_more; what it did not consume stays in `pending`
// for the next call, as its documentation for put() requires.
template <typename Parser>
Status put(Parser& parser, std::string& pending, ByteView bytes) {
  pending.append(as_chars(bytes));
  std::size_t used = 0;
  while (used < pending.size() && !parser.is_done()) {
    boost::system::error_code ec;
    std::size_t n = parser.put(boost::asio::const_buffer(pending.data() + used, pending.size() - used), ec);
    used += n;
    if (ec == http::error::need_more) break;
    if (ec) return refuse(ec.message());
    if (n == 0) break;
  }
  pending.erase(0, used);
  if (pending.size() > kMaxHttpHead + kMaxHttpBody) return refuse("message too large");
  return Ok{};
}

}  // namespace

struct HttpRequestReader::State {
  // A Beast parser reads one message; each request of a persistent connection gets a fresh one.
  std::optional<http::request_parser<http::empty_body>> parser;
  std::string pending;

  void start() {
    parser.emplace();
    parser->header_limit(kMaxHttpHead);
  }
};

HttpRequestReader::HttpRequestReader() : state_(std::make_unique<State>()) {
  state_->start();
}
HttpRequestReader::~HttpRequestReader() = default;
HttpRequestReader::HttpRequestReader(HttpRequestReader&&) noexcept = default;
HttpRequestReader& HttpRequestReader::operator=(HttpRequestReader&&) noexcept = default;

Expected<std::optional<HttpRequestHead>> HttpRequestReader::feed(ByteView bytes) {
  auto& parser = *state_->parser;
  if (Status ok = put(parser, state_->pending, bytes); !ok) return ok.error();
  if (!parser.is_header_done()) return std::optional<HttpRequestHead>();
  // empty_body refuses a body with "unexpected body" as it arrives; a body announced but not yet sent is
  // refused here, since a tracker request never has one.
  if (!parser.is_done()) return refuse("a request with a body");
  const auto& message = parser.get();
  return std::optional<HttpRequestHead>(HttpRequestHead{std::string(message.method_string()),
                                                        std::string(message.target()), message.version(),
                                                        message.keep_alive()});
}

void HttpRequestReader::next() {
  state_->start();
}

struct HttpResponseReader::State {
  http::response_parser<http::string_body> parser;
  std::string pending;
};

HttpResponseReader::HttpResponseReader() : state_(std::make_unique<State>()) {
  state_->parser.header_limit(kMaxHttpHead);
  state_->parser.body_limit(kMaxHttpBody);
}
HttpResponseReader::~HttpResponseReader() = default;
HttpResponseReader::HttpResponseReader(HttpResponseReader&&) noexcept = default;
HttpResponseReader& HttpResponseReader::operator=(HttpResponseReader&&) noexcept = default;

Expected<std::optional<HttpResponseMessage>> HttpResponseReader::feed(ByteView bytes) {
  auto& parser = state_->parser;
  if (Status ok = put(parser, state_->pending, bytes); !ok) return ok.error();
  if (!parser.is_done()) return std::optional<HttpResponseMessage>();
  return std::optional<HttpResponseMessage>(
      HttpResponseMessage{static_cast<int>(parser.get().result_int()), parser.get().body()});
}

Expected<HttpResponseMessage> HttpResponseReader::finish() {
  auto& parser = state_->parser;
  if (!parser.is_done()) {
    if (!parser.is_header_done()) return refuse("connection closed before the response head ended");
    boost::system::error_code ec;
    parser.put_eof(ec);
    if (ec) return refuse(ec.message());
  }
  return HttpResponseMessage{static_cast<int>(parser.get().result_int()), parser.get().body()};
}

Bytes format_http_response(int status, std::string_view reason, std::string_view content_type, ByteView body,
                           HttpConnection connection) {
  std::string head = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) +
                     "\r\nContent-Type: " + std::string(content_type) +
                     "\r\nContent-Length: " + std::to_string(body.size()) +
                     "\r\nConnection: " + (connection == HttpConnection::Close ? "close" : "keep-alive") +
                     "\r\n\r\n";
  Bytes out(head.begin(), head.end());
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

Bytes format_http_get(std::string_view target, std::string_view host, std::string_view user_agent) {
  std::string request = "GET " + std::string(target) + " HTTP/1.1\r\nHost: " + std::string(host) +
                        "\r\nUser-Agent: " + std::string(user_agent) +
                        "\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n";
  return to_bytes(request);
}

}  // namespace p2p::bittorrent
