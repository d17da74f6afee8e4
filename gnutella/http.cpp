// Parsing and building the HTTP/1.1 heads of Gnutella downloads.
#include "gnutella/http.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "common/net/framer.h"
#include "common/util/encoding.h"

namespace p2p::gnutella {
namespace {

constexpr std::string_view kCrlf = "\r\n";
constexpr std::string_view kGetPrefix = "/get/";
constexpr std::size_t kMaxContentLengthDigits = 18;  // below 2^63: no overflow while reading it

// "HTTP/1.0" or "HTTP/1.1" -> the minor version.
std::optional<int> http_version(std::string_view text) {
  if (text == "HTTP/1.1") return 1;
  if (text == "HTTP/1.0") return 0;
  return std::nullopt;
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(),
                                      [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

Status read_start_line(std::string_view line, HttpRequest& request) {
  std::size_t first = line.find(' ');
  std::size_t last = line.rfind(' ');
  if (first == std::string_view::npos || first == last) {
    return make_error("expected 'METHOD target HTTP/1.x' in " + quoted(line));
  }
  std::string_view method = line.substr(0, first);
  std::string_view target = line.substr(first + 1, last - first - 1);
  auto version = http_version(line.substr(last + 1));
  if (method.empty() ||
      !std::all_of(method.begin(), method.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return make_error("bad HTTP method in " + quoted(line));
  }
  if (target.empty() || target.front() != '/' || target.find(' ') != std::string_view::npos) {
    return make_error("bad request target in " + quoted(line));
  }
  if (!version) return make_error("unsupported HTTP version in " + quoted(line));
  request = HttpRequest{std::string(method), std::string(target), *version, {}};
  return Ok{};
}

Status read_start_line(std::string_view line, HttpResponse& response) {
  std::size_t space = line.find(' ');
  auto version = http_version(line.substr(0, space));
  if (space == std::string_view::npos || !version) {
    return make_error("expected 'HTTP/1.x <code> <reason>' in " + quoted(line));
  }
  auto status = parse_status(line.substr(space + 1));
  if (!status) return make_error("expected a 3-digit status code in " + quoted(line));
  response = HttpResponse{*version, status->code, std::move(status->reason), {}};
  return Ok{};
}

std::string start_line(const HttpRequest& request) {
  return request.method + " " + request.target + " HTTP/1." + std::to_string(request.minor_version);
}

std::string start_line(const HttpResponse& response) {
  std::string line =
      "HTTP/1." + std::to_string(response.minor_version) + " " + std::to_string(response.status);
  return response.reason.empty() ? line : line + " " + response.reason;
}

template <typename Head>
std::string head_text(const Head& head) {
  std::string text = start_line(head) + std::string(kCrlf);
  for (const HeaderField& h : head.headers) text += h.name + ": " + h.value + std::string(kCrlf);
  return text + std::string(kCrlf);
}

template <typename Head>
Expected<Head> parse_head(std::string_view text) {
  LineFramer framer(kMaxHttpLine);
  HttpParser<Head> parser;
  ByteView rest = as_bytes(text);
  while (!rest.empty()) {
    auto size = framer.next(rest);
    if (!size) return size.error();
    if (*size == 0) return make_error("HTTP text ends inside a line");
    auto fed = parser.feed(rest.first(*size));
    if (!fed) return fed.error();
    rest = rest.subspan(*size);
    if (fed->has_value()) {
      if (!rest.empty()) return make_error("HTTP text continues after the blank line");
      return std::move(**fed);
    }
  }
  return make_error("HTTP text ends before its blank line");
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 503:
      return "Service Unavailable";
    default:
      return "Error";
  }
}

}  // namespace

Expected<std::uint64_t> HttpResponse::content_length() const {
  auto value = header("Content-Length");
  if (!value) return make_error("no Content-Length header");
  if (!all_digits(*value) || value->size() > kMaxContentLengthDigits) {
    return make_error("bad Content-Length " + quoted(*value));
  }
  std::uint64_t length = 0;
  std::from_chars(value->data(), value->data() + value->size(), length);
  return length;
}

template <typename Head>
Expected<std::optional<Head>> HttpParser<Head>::feed(ByteView bytes) {
  auto line = lines_.feed(bytes);
  if (!line) return line.error();
  switch (line->kind) {
    case HeadReader::LineKind::Start:
      if (Status status = read_start_line(line->text, head_); !status) {
        lines_.reset();
        return status.error();
      }
      break;
    case HeadReader::LineKind::End: {
      Head complete = std::move(head_);
      complete.headers = lines_.take_headers();
      head_ = Head{};
      return std::optional<Head>(std::move(complete));
    }
    case HeadReader::LineKind::Header:
      break;
  }
  return std::optional<Head>();
}

template class HttpParser<HttpRequest>;
template class HttpParser<HttpResponse>;

std::string to_text(const HttpRequest& request) {
  return head_text(request);
}
std::string to_text(const HttpResponse& response) {
  return head_text(response);
}

Expected<HttpRequest> parse_http_request(std::string_view text) {
  return parse_head<HttpRequest>(text);
}
Expected<HttpResponse> parse_http_response(std::string_view text) {
  return parse_head<HttpResponse>(text);
}

Expected<FileRequest> parse_get_target(std::string_view target) {
  if (!target.starts_with(kGetPrefix))
    return make_error("not a /get/<index>/<name> target: " + quoted(target));
  target.remove_prefix(kGetPrefix.size());
  std::size_t slash = target.find('/');
  std::string_view digits = target.substr(0, slash);
  std::uint32_t index = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
  if (slash == std::string_view::npos || !all_digits(digits) || error != std::errc{} ||
      end != digits.data() + digits.size()) {
    return make_error("bad file index in /get/ target " + quoted(target));
  }
  auto name = percent_decode(target.substr(slash + 1));
  if (!name) return make_error("broken %-escape in /get/ target " + quoted(target));
  if (name->empty()) return make_error("no file name in /get/ target");
  return FileRequest{index, std::string(as_chars(*name))};
}

std::string get_target(const FileRequest& file) {
  return std::string(kGetPrefix) + std::to_string(file.index) + "/" + percent_encode(as_bytes(file.name));
}

HttpRequest file_request(const FileRequest& file, const Endpoint& host, std::string_view user_agent) {
  return HttpRequest{
      "GET",
      get_target(file),
      1,
      {{"User-Agent", std::string(user_agent)}, {"Host", host.str()}, {"Connection", "close"}}};
}

HttpResponse file_response(std::uint64_t content_length, std::string_view server) {
  return HttpResponse{1,
                      200,
                      "OK",
                      {{"Server", std::string(server)},
                       {"Content-Type", "application/binary"},
                       {"Content-Length", std::to_string(content_length)},
                       {"Connection", "close"}}};
}

HttpResponse refusal(int status, std::string_view server) {
  return HttpResponse{1,
                      status,
                      std::string(reason_phrase(status)),
                      {{"Server", std::string(server)}, {"Content-Length", "0"}, {"Connection", "close"}}};
}

}  // namespace p2p::gnutella
