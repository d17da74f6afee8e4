// Parsing and building of Gnutella 0.6 handshake messages.
#include "gnutella/handshake.h"

#include <algorithm>

namespace p2p::gnutella {
namespace {

constexpr std::string_view kConnectLine = "GNUTELLA CONNECT/0.6";
constexpr std::string_view kConnectPrefix = "GNUTELLA CONNECT/";
constexpr std::string_view kResponsePrefix = "GNUTELLA/0.6 ";
constexpr std::string_view kCrlf = "\r\n";

std::optional<Endpoint> parse_host(std::string_view entry) {
  entry = http::trim(entry);
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
  return http::find_header(headers, name);
}

Expected<std::optional<HandshakeMessage>> HandshakeParser::feed(ByteView bytes) {
  auto line = lines_.feed(bytes);
  if (!line) return line.error();
  switch (line->kind) {
    case http::HeadReader::LineKind::Start:
      if (Status status = start_line(line->text); !status) {
        lines_.reset();
        return status.error();
      }
      break;
    case http::HeadReader::LineKind::End: {
      HandshakeMessage complete = std::move(message_);
      complete.headers = lines_.take_headers();
      message_ = HandshakeMessage{};
      return std::optional<HandshakeMessage>(std::move(complete));
    }
    case http::HeadReader::LineKind::Header:
      break;
  }
  return std::optional<HandshakeMessage>();
}

Status HandshakeParser::start_line(std::string_view line) {
  message_ = HandshakeMessage{};
  if (line == kConnectLine) {
    message_.kind = HandshakeKind::Connect;
  } else if (line.starts_with(kConnectPrefix)) {
    return make_error("unsupported protocol version in " + http::quoted(line) + "; this servent speaks 0.6");
  } else if (line.starts_with(kResponsePrefix)) {
    auto status = http::parse_status(line.substr(kResponsePrefix.size()));
    if (!status) return make_error("expected a 3-digit status code in " + http::quoted(line));
    message_.kind = HandshakeKind::Response;
    message_.status = status->code;
    message_.reason = std::move(status->reason);
  } else {
    return make_error("not a Gnutella 0.6 handshake line: " + http::quoted(line));
  }
  return Ok{};
}

Expected<HandshakeMessage> parse_handshake(std::string_view text) {
  return http::parse_one_head<HandshakeMessage>(text, HandshakeParser{}, kMaxHandshakeLine, "handshake");
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
    if (!http::equals_ignoring_case(h.name, "X-Try")) continue;
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
