// The few ZMTP 3.0 frames (RFC 23/ZMTP) a hostile client of the launcher's ZeroMQ endpoints writes by hand:
// libzmq would refuse to send the broken ones.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/util/bytes.h"

namespace p2p::hostile::zmtp {

// The greeting: signature FF 00..00 7F, version 3.0, mechanism NULL, as-server 0, filler.
inline constexpr std::size_t kGreetingBytes = 64;
Bytes greeting();

// The NULL mechanism's READY command, saying the sender's socket type ("REQ", "PUB", "SUB").
Bytes ready(std::string_view socket_type);
// How many bytes a peer's READY of that socket type takes (libzmq's REP, PUB, XSUB and XPUB add no other
// property).
std::size_t ready_bytes(std::string_view socket_type);

// One message frame, `more` if another frame of the same message follows; the long form past 255 bytes.
Bytes frame(ByteView body, bool more);
// The head of a long frame (flags 0x02) whose 8-byte length says `size`, with no body.
Bytes long_frame_head(std::uint64_t size);

// A REQ socket's request: an empty delimiter frame, then the body.
Bytes request(std::string_view body);
// A SUB socket's subscription to every topic: a message whose first byte is 1 (ZMTP 3.0).
Bytes subscribe_all();

}  // namespace p2p::hostile::zmtp
