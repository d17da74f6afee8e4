// The type bytes of the CoolStreaming messages and their names.
#include "coolstreaming/message.h"

#include <array>
#include <utility>

namespace p2p::coolstreaming {
namespace {

constexpr std::array<std::pair<MessageType, std::string_view>, std::variant_size_v<Message>> kNames = {{
    {MessageType::Join, "join"},
    {MessageType::JoinRedirect, "join redirect"},
    {MessageType::JoinRefused, "join refused"},
    {MessageType::Candidates, "candidates"},
    {MessageType::Membership, "membership"},
    {MessageType::Leave, "leave"},
    {MessageType::PartnerRequest, "partner request"},
    {MessageType::PartnerAccept, "partner accept"},
    {MessageType::PartnerRefuse, "partner refuse"},
    {MessageType::BufferMap, "buffer map"},
    {MessageType::SegmentRequest, "segment request"},
    {MessageType::Segment, "segment"},
    {MessageType::SegmentUnavailable, "segment unavailable"},
    {MessageType::TreeParent, "tree parent"},
    {MessageType::TreeAttach, "tree attach"},
}};

}  // namespace

std::optional<MessageType> message_type(std::uint8_t byte) {
  for (const auto& [type, name] : kNames) {
    if (static_cast<std::uint8_t>(type) == byte) return type;
  }
  return std::nullopt;
}

std::string_view type_name(MessageType type) {
  for (const auto& [known, name] : kNames) {
    if (known == type) return name;
  }
  return "unknown";
}

}  // namespace p2p::coolstreaming
