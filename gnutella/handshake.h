// The Gnutella 0.6 connection handshake: CRLF text lines, parsed one line at a time (GDF Gnutella 0.6, 2.1).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/http/head_reader.h"
#include "common/net/endpoint.h"
#include "common/util/bytes.h"
#include "common/util/expected.h"

namespace p2p::gnutella {

// Caps on what an untrusted peer may send before it has proved to be a servent. The core cuts the
// handshake with LineFramer(kMaxHandshakeLine), so a longer line never reaches the parser.
inline constexpr std::size_t kMaxHandshakeLine = 1024;
inline constexpr std::size_t kMaxHandshakeHeaders = 64;
inline constexpr std::size_t kMaxHandshakeBytes = 16 * 1024;
// X-Try lists "between 10 and 20" hosts (GDF, known connection headers); more is ignored.
inline constexpr std::size_t kMaxTryHosts = 20;
inline constexpr std::uint16_t kDefaultGnutellaPort = 6346;

using HandshakeHeader = http::HeaderField;

enum class HandshakeKind {
  Connect,   // "GNUTELLA CONNECT/0.6": the first step, from the client
  Response,  // "GNUTELLA/0.6 <code> <reason>": the server's answer, and the client's confirmation
};

// One step of the three-step handshake: its start line, then headers, then a blank line.
//   client: GNUTELLA CONNECT/0.6      server: GNUTELLA/0.6 200 OK      client: GNUTELLA/0.6 200 OK
//           User-Agent: p2plab/0.1            User-Agent: ...                  (blank line)
//           (blank line)                      (blank line)
// A full server answers "GNUTELLA/0.6 503 ..." with an X-Try header naming other hosts, and closes.
struct HandshakeMessage {
  HandshakeKind kind = HandshakeKind::Connect;
  int status = 0;      // Response only: 200, 503, ...
  std::string reason;  // Response only: "OK", "Service Unavailable", ...
  std::vector<HandshakeHeader> headers;

  // The first header of that name; names compare case-insensitively, as in HTTP.
  std::optional<std::string_view> header(std::string_view name) const;
  // The draft says to look only at the code: "200" accepts, whatever the reason text.
  bool accepted() const { return kind == HandshakeKind::Response && status == 200; }
  bool operator==(const HandshakeMessage&) const = default;
};

// Reads one handshake message fed line by line, each line with its CRLF (one LineFramer frame). Strict: a
// bad start line, a header without a colon or with a bad name, control bytes, or too many or too big
// headers are errors. Header lines starting with a space or tab continue the previous header (HTTP folding);
// http::HeadReader applies these line rules, the same as HTTP heads'.
class HandshakeParser {
 public:
  // nullopt while the message is incomplete; the message when its blank line arrives (the parser is then
  // ready for the next one); an error for malformed input, after which the connection should be closed.
  Expected<std::optional<HandshakeMessage>> feed(ByteView line);

 private:
  Status start_line(std::string_view line);

  http::HeadReader lines_{{kMaxHandshakeLine, kMaxHandshakeHeaders, kMaxHandshakeBytes, "handshake"}};
  HandshakeMessage message_;
};

// Parses a whole handshake message from text (tests, tools): the lines are fed as LineFramer would cut them.
// Fails if the text holds anything but exactly one message.
Expected<HandshakeMessage> parse_handshake(std::string_view text);

// The message as wire text, CRLF line endings and the closing blank line included.
std::string to_text(const HandshakeMessage& message);

// What a p2plab servent says about itself in every step: User-Agent, X-Ultrapeer: False (all servents are
// equal peers, as in 0.4), and Listen-IP when it knows its address.
std::vector<HandshakeHeader> servent_headers(std::string_view user_agent,
                                             const std::optional<Endpoint>& listen);

HandshakeMessage connect_request(std::vector<HandshakeHeader> headers);
// The server's "200 OK", and the client's confirmation, which the draft writes the same way.
HandshakeMessage ok_response(std::vector<HandshakeHeader> headers);
// A full servent's refusal, naming up to kMaxTryHosts other hosts to try.
HandshakeMessage busy_response(std::span<const Endpoint> try_hosts, std::vector<HandshakeHeader> headers);

// The hosts of every X-Try header, in order. Entries are "ip" or "ip:port" separated by commas; the port
// defaults to 6346. They are hints from an untrusted peer: an entry that is not IPv4 (a hostname, IPv6) is
// skipped rather than spoiling the rest, and at most kMaxTryHosts are kept.
std::vector<Endpoint> try_hosts(const HandshakeMessage& message);
// Where the peer says it listens: Listen-IP, or the older X-My-Address.
std::optional<Endpoint> listen_address(const HandshakeMessage& message);

}  // namespace p2p::gnutella
