// OpenNapFramer: cuts a connection to the index server into whole OpenNap messages.
#pragma once

#include "common/net/framer.h"

namespace p2p::napster {

// Every frame starts with a u16 length and a u16 type.
inline constexpr std::size_t kHeaderBytes = 4;

// OpenNap: u16 little-endian payload length, u16 little-endian type, then the payload (napster.txt section
// 1). The length counts only the payload, so a frame is kHeaderBytes more than it says.
class OpenNapFramer : public Framer {
 public:
  explicit OpenNapFramer(std::size_t max_payload) : max_payload_(max_payload) {}
  Expected<std::size_t> next(ByteView buffered) override;

 private:
  std::size_t max_payload_;
};

}  // namespace p2p::napster
