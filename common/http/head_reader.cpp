// The line rules of HTTP/1.1 heads, which Gnutella 0.6 handshakes share.
#include "common/http/head_reader.h"

#include <algorithm>
#include <cctype>

namespace p2p::http {
namespace {

constexpr std::string_view kCrlf = "\r\n";

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

// RFC 7230 "tchar": the characters a header name may use.
bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Tabs are allowed (folding, values); any other control byte, a stray CR or LF included, is not.
bool has_control_byte(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return (byte < 0x20 && c != '\t') || byte == 0x7f;
  });
}

}  // namespace

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

std::string quoted(std::string_view text) {
  constexpr std::size_t kShown = 40;
  return "'" + std::string(text.substr(0, kShown)) + (text.size() > kShown ? "...'" : "'");
}

std::optional<std::string_view> find_header(std::span<const HeaderField> headers, std::string_view name) {
  for (const HeaderField& h : headers) {
    if (equals_ignoring_case(h.name, name)) return std::string_view(h.value);
  }
  return std::nullopt;
}

std::optional<StatusCode> parse_status(std::string_view rest) {
  if (rest.size() < 3 || !all_digits(rest.substr(0, 3)) || (rest.size() > 3 && rest[3] != ' ') ||
      rest[0] < '1' || rest[0] > '5')
    return std::nullopt;
  return StatusCode{(rest[0] - '0') * 100 + (rest[1] - '0') * 10 + (rest[2] - '0'),
                    std::string(rest.size() > 3 ? rest.substr(4) : std::string_view{})};
}

Expected<HeadReader::Line> HeadReader::feed(ByteView bytes) {
  std::string_view line = as_chars(bytes);
  std::string what(limits_.what);
  Status status = Ok{};
  Line result{LineKind::Header, {}};
  if (line.size() > limits_.max_line) {
    status = make_error(what + " line of " + std::to_string(line.size()) + " bytes exceeds the cap of " +
                        std::to_string(limits_.max_line));
  } else if (bytes_ + line.size() > limits_.max_bytes) {
    status = make_error(what + " exceeds the cap of " + std::to_string(limits_.max_bytes) + " bytes");
  } else if (!line.ends_with(kCrlf)) {
    status = make_error(what + " line does not end in CRLF");
  } else {
    bytes_ += line.size();
    line.remove_suffix(kCrlf.size());
    if (has_control_byte(line)) {
      status = make_error("control byte in " + what + " line " + quoted(line));
    } else if (!started_) {
      started_ = true;
      result = Line{LineKind::Start, line};
    } else if (line.empty()) {
      result = Line{LineKind::End, {}};
    } else {
      status = header_line(line);
    }
  }
  if (!status) {
    reset();
    return status.error();
  }
  return result;
}

Status HeadReader::header_line(std::string_view line) {
  if (is_blank(line.front())) {
    if (headers_.empty()) return make_error("continuation line before any header");
    std::string& value = headers_.back().value;
    std::string_view more = trim(line);
    if (!value.empty() && !more.empty()) value += ' ';
    value += more;
    return Ok{};
  }
  if (headers_.size() >= limits_.max_headers) {
    return make_error("more than " + std::to_string(limits_.max_headers) + " " + std::string(limits_.what) +
                      " headers");
  }
  std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return make_error("header line without a colon: " + quoted(line));
  std::string_view name = line.substr(0, colon);
  if (name.empty() || !std::all_of(name.begin(), name.end(), is_token_char)) {
    return make_error("bad header name in " + quoted(line));
  }
  headers_.push_back({std::string(name), std::string(trim(line.substr(colon + 1)))});
  return Ok{};
}

std::vector<HeaderField> HeadReader::take_headers() {
  std::vector<HeaderField> headers = std::move(headers_);
  reset();
  return headers;
}

void HeadReader::reset() {
  started_ = false;
  bytes_ = 0;
  headers_.clear();
}

}  // namespace p2p::http
