// Fuzz target: a Gnutella connection's first bytes, cut into lines by the LineFramer and fed to the handshake
// parser.
#include <cstdint>
#include <cstdlib>

#include "common/net/framer.h"
#include "gnutella/handshake.h"

// A parsed message must respect the caps, and its printed form must read back as the same message.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace p2p::gnutella;
  p2p::FrameAssembler assembler(std::make_unique<p2p::LineFramer>(kMaxHandshakeLine));
  HandshakeParser parser;
  assembler.append(p2p::ByteView(data, size));
  (void)assembler.drain([&](p2p::ByteView line) {
    auto fed = parser.feed(line);
    if (!fed) return false;  // the servent closes the connection here
    if (!fed->has_value()) return true;
    const HandshakeMessage& message = **fed;
    if (message.headers.size() > kMaxHandshakeHeaders) std::abort();
    // Folded values can make a printed line longer than the cap; only a reread that succeeds is compared.
    auto reread = parse_handshake(to_text(message));
    if (reread && !(*reread == message)) std::abort();
    (void)try_hosts(message);
    (void)listen_address(message);
    return true;
  });
  return 0;
}
