// close_soon: closing a connection from a zero-delay timer, outside the frame delivery that decided it.
#pragma once

#include <string>

#include "common/node/core.h"

namespace p2p::bittorrent {

// The real Transport frees a connection's frame buffer as soon as a close has nothing left to flush, even
// while it is still handing that buffer's frames to the core (common/net/transport.cpp, Transport::close),
// which the FrameAssembler contract forbids. Until the transport defers that itself, the BitTorrent cores
// close from a zero-delay timer: the core forgets the connection at once, and the runtime closes it a moment
// later.
inline void close_soon(Runtime& runtime, ConnId conn, std::string reason) {
  runtime.after(Duration{0}, [&runtime, conn, reason = std::move(reason)]() mutable {
    runtime.close(conn, std::move(reason));
  });
}

}  // namespace p2p::bittorrent
