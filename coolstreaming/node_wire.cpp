// Sending, decoding and refusing CoolStreaming frames on a Runtime.
#include "coolstreaming/node_wire.h"

#include <string>

#include "coolstreaming/codec.h"

namespace p2p::coolstreaming {
namespace {

// The prefix the Transport and SimNet give a close caused by the framer (common/host/transport.cpp).
constexpr std::string_view kFramingError = "framing error";

}  // namespace

std::size_t queued_bytes(const Runtime& runtime, std::span<const ConnId> conns) {
  std::size_t queued = 0;
  for (ConnId conn : conns) queued += runtime.queued_bytes(conn);
  return queued;
}

void send_message(Runtime& runtime, ConnId conn, const Message& message) {
  runtime.send(conn, encode(message));
}

std::optional<Message> decode_or_reject(Runtime& runtime, ConnId conn, ByteView frame,
                                        ReceivedBytes& received, std::uint64_t& rejected) {
  Expected<Message> message = decode(frame);
  if (!message) {
    reject(runtime, conn, "message", message.reason(), rejected);
    return std::nullopt;
  }
  const std::size_t video = video_bytes(*message);
  received.video += video;
  received.control += frame.size() - video;
  return std::move(message).value();
}

void reject(Runtime& runtime, ConnId conn, std::string_view kind, std::string_view reason,
            std::uint64_t& rejected) {
  ++rejected;
  runtime.telemetry().event("rejected", {{"kind", kind}, {"reason", reason}});
  runtime.close(conn, "rejected: " + std::string(reason));
}

bool count_framing_error(Runtime& runtime, std::string_view reason, std::uint64_t& rejected) {
  if (!reason.starts_with(kFramingError)) return false;
  ++rejected;
  runtime.telemetry().event("rejected", {{"kind", "frame"}, {"reason", reason}});
  return true;
}

}  // namespace p2p::coolstreaming
