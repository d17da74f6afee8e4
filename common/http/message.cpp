// Parsing and printing HTTP/1.1 heads.
#include "common/http/message.h"

#include <algorithm>
#include <charconv>

namespace p2p::http {
namespace {

constexpr std::string_view kCrlf = "\r\n";
constexpr std::size_t kMaxContentLengthDigits = 18;  // below 2^63: no overflow while reading it

// "HTTP/1.0" or "HTTP/1.1" -> the minor version.
std::optional<int> http_version(std::string_view text) {
  if (text == "HTTP/1.1") return 1;
  if (text == "HTTP/1.0") return 0;
  return std::nullopt;
}

Status read_start_line(std::string_view line, Request& request) {
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
  request = Request{std::string(method), std::string(target), *version, {}};
  return Ok{};
}

Status read_start_line(std::string_view line, Response& response) {
  std::size_t space = line.find(' ');
  auto version = http_version(line.substr(0, space));
  if (space == std::string_view::npos || !version) {
    return make_error("expected 'HTTP/1.x <code> <reason>' in " + quoted(line));
  }
  auto status = parse_status(line.substr(space + 1));
  if (!status) return make_error("expected a 3-digit status code in " + quoted(line));
  response = Response{*version, status->code, std::move(status->reason), {}};
  return Ok{};
}

std::string start_line(const Request& request) {
  return request.method + " " + request.target + " HTTP/1." + std::to_string(request.minor_version);
}

std::string start_line(const Response& response) {
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

}  // namespace

Expected<std::uint64_t> Response::content_length() const {
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
Expected<std::optional<Head>> Parser<Head>::feed(ByteView bytes) {
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

template class Parser<Request>;
template class Parser<Response>;

std::string to_text(const Request& request) {
  return head_text(request);
}
std::string to_text(const Response& response) {
  return head_text(response);
}

Expected<Request> parse_request(std::string_view text) {
  return parse_one_head<Request>(text, RequestParser{}, kMaxLine, "HTTP");
}
Expected<Response> parse_response(std::string_view text) {
  return parse_one_head<Response>(text, ResponseParser{}, kMaxLine, "HTTP");
}

}  // namespace p2p::http
