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

std::optional<std::uint32_t> parse_ipv4(std::string_view text) {
  std::uint32_t address = 0;
  for (int part = 0; part < 4; ++part) {
    std::size_t dot = part < 3 ? text.find('.') : text.size();
    if (dot == std::string_view::npos) return std::nullopt;
    auto octet = parse_number(text.substr(0, dot), 255);
    if (!octet) return std::nullopt;
    address = (address << 8) | *octet;
    text = part < 3 ? text.substr(dot + 1) : std::string_view{};
  }
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
  std::string host = std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 255) + "." +
                     std::to_string((address >> 8) & 255) + "." + std::to_string(address & 255);
  return Endpoint{host, port};
}

}  // namespace p2p
