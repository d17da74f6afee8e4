// Endpoint: an IPv4 address and a TCP port, as peers advertise them in Napster logins, Gnutella pongs and
// tracker lists.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/util/expected.h"

namespace p2p {

struct Endpoint {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;

  // "127.0.0.1:6699"
  std::string str() const { return host + ":" + std::to_string(port); }
  // The address as a 32-bit number in host order, or 0 if `host` is not a dotted IPv4 address.
  std::uint32_t ipv4() const;

  static Expected<Endpoint> parse(std::string_view text);
  static Endpoint from_ipv4(std::uint32_t address, std::uint16_t port);

  auto operator<=>(const Endpoint&) const = default;
};

}  // namespace p2p
