// Parsing and building of Gnutella 0.6 handshake messages.
#include "gnutella/handshake.h"

#include <algorithm>
#include <cctype>

#include "common/net/framer.h"

namespace p2p::gnutella {
namespace {

constexpr std::string_view kConnectLine = "GNUTELLA CONNECT/0.6";
constexpr std::string_view kConnectPrefix = "GNUTELLA CONNECT/";
constexpr std::string_view kResponsePrefix = "GNUTELLA/0.6 ";
constexpr std::string_view kCrlf = "\r\n";

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
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

// Quotes a bit of a bad line in an error, short enough for a log line.
std::string quoted(std::string_view text) {
  constexpr std::size_t kShown = 40;
  return "'" + std::string(text.substr(0, kShown)) + (text.size() > kShown ? "...'" : "'");
}

std::optional<Endpoint> parse_host(std::string_view entry) {
  entry = trim(entry);
  if (entry.empty()) return std::nullopt;
  std::string text(entry);
  if (entry.find(':') == std::string_view::npos) text += ":" + std::to_string(kDefaultGnutellaPort);
  auto endpoint = Endpoint::parse(text);
  if (!endpoint) return std::nullopt;
  return *endpoint;
}

HandshakeMessage response(int status, std::string reason, std::vector<HandshakeHeader> headers) {
  HandshakeMessage message;
  message.kind = HandshakeKind::Response;
  message.status = status;
  message.reason = std::move(reason);
  message.headers = std::move(headers);
  return message;
}

}  // namespace

std::optional<std::string_view> HandshakeMessage::header(std::string_view name) const {
  for (const HandshakeHeader& h : headers) {
    if (equals_ignoring_case(h.name, name)) return std::string_view(h.value);
  }
  return std::nullopt;
}

Expected<std::optional<HandshakeMessage>> HandshakeParser::feed(ByteView bytes) {
  std::string_view line = as_chars(bytes);
  Status status = Ok{};
  if (line.size() > kMaxHandshakeLine) {
    status = make_error("handshake line of " + std::to_string(line.size()) + " bytes exceeds the cap of " +
                        std::to_string(kMaxHandshakeLine));
  } else if (bytes_ + line.size() > kMaxHandshakeBytes) {
    status = make_error("handshake exceeds the cap of " + std::to_string(kMaxHandshakeBytes) + " bytes");
  } else if (!line.ends_with(kCrlf)) {
    status = make_error("handshake line does not end in CRLF");
  } else {
    bytes_ += line.size();
    line.remove_suffix(kCrlf.size());
    if (has_control_byte(line)) {
      status = make_error("control byte in handshake line " + quoted(line));
    } else if (!started_) {
      status = start_line(line);
    } else if (line.empty()) {
      HandshakeMessage complete = std::move(message_);
      reset();
      return std::optional<HandshakeMessage>(std::move(complete));
    } else {
      status = header_line(line);
    }
  }
  if (!status) {
    reset();
    return status.error();
  }
  return std::optional<HandshakeMessage>();
}

Status HandshakeParser::start_line(std::string_view line) {
  message_ = HandshakeMessage{};
  if (line == kConnectLine) {
    message_.kind = HandshakeKind::Connect;
  } else if (line.starts_with(kConnectPrefix)) {
    return make_error("unsupported protocol version in " + quoted(line) + "; this servent speaks 0.6");
  } else if (line.starts_with(kResponsePrefix)) {
    std::string_view rest = line.substr(kResponsePrefix.size());
    bool three_digits = rest.size() >= 3 && std::all_of(rest.begin(), rest.begin() + 3, [](char c) {
                          return std::isdigit(static_cast<unsigned char>(c)) != 0;
                        });
    if (!three_digits || (rest.size() > 3 && rest[3] != ' ') || rest[0] < '1' || rest[0] > '5') {
      return make_error("expected a 3-digit status code in " + quoted(line));
    }
    message_.kind = HandshakeKind::Response;
    message_.status = (rest[0] - '0') * 100 + (rest[1] - '0') * 10 + (rest[2] - '0');
    message_.reason = std::string(rest.size() > 3 ? rest.substr(4) : std::string_view{});
  } else {
    return make_error("not a Gnutella 0.6 handshake line: " + quoted(line));
  }
  started_ = true;
  return Ok{};
}

Status HandshakeParser::header_line(std::string_view line) {
  if (is_blank(line.front())) {
    if (message_.headers.empty()) return make_error("continuation line before any header");
    std::string& value = message_.headers.back().value;
    std::string_view more = trim(line);
    if (!value.empty() && !more.empty()) value += ' ';
    value += more;
    return Ok{};
  }
  if (message_.headers.size() >= kMaxHandshakeHeaders) {
    return make_error("more than " + std::to_string(kMaxHandshakeHeaders) + " handshake headers");
  }
  std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return make_error("header line without a colon: " + quoted(line));
  std::string_view name = line.substr(0, colon);
  if (name.empty() || !std::all_of(name.begin(), name.end(), is_token_char)) {
    return make_error("bad header name in " + quoted(line));
  }
  message_.headers.push_back({std::string(name), std::string(trim(line.substr(colon + 1)))});
  return Ok{};
}

void HandshakeParser::reset() {
  started_ = false;
  bytes_ = 0;
  message_ = HandshakeMessage{};
}

Expected<HandshakeMessage> parse_handshake(std::string_view text) {
  LineFramer framer(kMaxHandshakeLine);
  HandshakeParser parser;
  ByteView rest = as_bytes(text);
  while (!rest.empty()) {
    auto size = framer.next(rest);
    if (!size) return size.error();
    if (*size == 0) return make_error("handshake text ends inside a line");
    auto fed = parser.feed(rest.first(*size));
    if (!fed) return fed.error();
    rest = rest.subspan(*size);
    if (fed->has_value()) {
      if (!rest.empty()) return make_error("handshake text continues after the blank line");
      return std::move(**fed);
    }
  }
  return make_error("handshake text ends before its blank line");
}

std::string to_text(const HandshakeMessage& message) {
  std::string text;
  if (message.kind == HandshakeKind::Connect) {
    text = kConnectLine;
  } else {
    text = std::string(kResponsePrefix) + std::to_string(message.status);
    if (!message.reason.empty()) text += " " + message.reason;
  }
  text += kCrlf;
  for (const HandshakeHeader& h : message.headers) text += h.name + ": " + h.value + std::string(kCrlf);
  text += kCrlf;
  return text;
}

std::vector<HandshakeHeader> servent_headers(std::string_view user_agent,
                                             const std::optional<Endpoint>& listen) {
  std::vector<HandshakeHeader> headers{{"User-Agent", std::string(user_agent)}, {"X-Ultrapeer", "False"}};
  if (listen) headers.push_back({"Listen-IP", listen->str()});
  return headers;
}

HandshakeMessage connect_request(std::vector<HandshakeHeader> headers) {
  HandshakeMessage message;
  message.kind = HandshakeKind::Connect;
  message.headers = std::move(headers);
  return message;
}

HandshakeMessage ok_response(std::vector<HandshakeHeader> headers) {
  return response(200, "OK", std::move(headers));
}

HandshakeMessage busy_response(std::span<const Endpoint> try_hosts, std::vector<HandshakeHeader> headers) {
  std::string list;
  for (const Endpoint& host : try_hosts.first(std::min(try_hosts.size(), kMaxTryHosts))) {
    list += (list.empty() ? "" : ", ") + host.str();
  }
  if (!list.empty()) headers.push_back({"X-Try", list});
  return response(503, "Service Unavailable", std::move(headers));
}

std::vector<Endpoint> try_hosts(const HandshakeMessage& message) {
  std::vector<Endpoint> hosts;
  for (const HandshakeHeader& h : message.headers) {
    if (!equals_ignoring_case(h.name, "X-Try")) continue;
    std::string_view list = h.value;
    while (!list.empty() && hosts.size() < kMaxTryHosts) {
      std::size_t comma = std::min(list.find(','), list.size());
      if (auto host = parse_host(list.substr(0, comma))) hosts.push_back(*host);
      list.remove_prefix(std::min(comma + 1, list.size()));
    }
  }
  return hosts;
}

std::optional<Endpoint> listen_address(const HandshakeMessage& message) {
  auto value = message.header("Listen-IP");
  if (!value) value = message.header("X-My-Address");
  if (!value) return std::nullopt;
  return parse_host(*value);
}

}  // namespace p2p::gnutella
