// What both CoolStreaming cores do with the wire: send a message, decode a frame or refuse it, count bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "common/node/core.h"
#include "coolstreaming/message.h"

namespace p2p::coolstreaming {

// Bytes received, split the way the lab's control overhead is (coolstreaming/PROTOCOL.md, "Telemetry"):
// segment payloads are video, every other byte (headers, buffer maps, membership, requests) is control.
struct ReceivedBytes {
  std::uint64_t video = 0;
  std::uint64_t control = 0;
};

// The bytes given to send() on these connections that have not left the uplink yet.
std::size_t queued_bytes(const Runtime& runtime, std::span<const ConnId> conns);

void send_message(Runtime& runtime, ConnId conn, const Message& message);

// Decodes a frame. A frame that does not decode is refused: the connection is closed with the reason, a
// `rejected` event reports it and `rejected` counts it (the issue's "bad input ... refused and counted,
// never a crash"). Counts the bytes of a good frame in `received`.
std::optional<Message> decode_or_reject(Runtime& runtime, ConnId conn, ByteView frame,
                                        ReceivedBytes& received, std::uint64_t& rejected);

// Refuses a message that decoded but has no place on this connection (a segment from a stranger, a join
// sent to a partner): closes with the reason, reports and counts it like a bad frame.
void reject(Runtime& runtime, ConnId conn, std::string_view kind, std::string_view reason,
            std::uint64_t& rejected);

// A connection the runtime closed because its framer refused the bytes (an unknown type, an oversized
// frame) is reported and counted like a bad message; true if `reason` was one.
bool count_framing_error(Runtime& runtime, std::string_view reason, std::uint64_t& rejected);

}  // namespace p2p::coolstreaming
