// Parsing and printing of IPv4 endpoints.
#include "common/net/endpoint.h"

#include <charconv>
#include <optional>

namespace p2p {
namespace {

std::optional<std::uint32_t> parse_number(std::string_view text, std::uint32_t max) {
  std::uint32_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() || value > max)
    return std::nullopt;
  return value;
}

// Four decimal octets of 0-255 joined by dots, and nothing else; one pass, as trackers answer with lists of
// them.
std::optional<std::uint32_t> parse_ipv4(std::string_view text) {
  const char* at = text.data();
  const char* end = at + text.size();
  std::uint32_t address = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (at == end || *at != '.') return std::nullopt;
      ++at;
    }
    std::uint32_t octet = 0;
    auto [next, ec] = std::from_chars(at, end, octet);
    if (ec != std::errc() || next == at || octet > 255) return std::nullopt;
    address = (address << 8) | octet;
    at = next;
  }
  if (at != end) return std::nullopt;
  return address;
}

}  // namespace

std::uint32_t Endpoint::ipv4() const {
  return parse_ipv4(host).value_or(0);
}

Expected<Endpoint> Endpoint::parse(std::string_view text) {
  if (text.starts_with("tcp://")) text.remove_prefix(6);
  std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos)
    return make_error("expected HOST:PORT, got '" + std::string(text) + "'");
  std::string_view host = text.substr(0, colon);
  if (host == "localhost") host = "127.0.0.1";
  if (!parse_ipv4(host)) return make_error("expected an IPv4 address, got '" + std::string(host) + "'");
  auto port = parse_number(text.substr(colon + 1), 65535);
  if (!port) return make_error("expected a port 0-65535, got '" + std::string(text.substr(colon + 1)) + "'");
  return Endpoint{std::string(host), static_cast<std::uint16_t>(*port)};
}

Endpoint Endpoint::from_ipv4(std::uint32_t address, std::uint16_t port) {
  char text[16];  // "255.255.255.255"
  char* end = text;
  for (int shift = 24; shift >= 0; shift -= 8) {
    if (shift < 24) *end++ = '.';
    end = std::to_chars(end, text + sizeof text, (address >> shift) & 255).ptr;
  }
  return Endpoint{std::string(text, end), port};
}

}  // namespace p2p
