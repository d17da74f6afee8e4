// The bytes each direction of each captured TCP connection carried, by sequence number.
#include "tests/interop/captured_bytes.h"

#include <algorithm>

namespace p2p::interop {

void CapturedBytes::record(const std::string& direction, std::uint64_t seq, ByteView payload) {
  Direction& seen = directions_[direction];
  std::size_t end = seq + payload.size();
  if (seen.bytes.size() < end) {
    seen.bytes.resize(end);
    seen.known.resize(end);
  }
  std::copy(payload.begin(), payload.end(), seen.bytes.begin() + static_cast<std::ptrdiff_t>(seq));
  std::fill_n(seen.known.begin() + static_cast<std::ptrdiff_t>(seq), payload.size(), true);
}

bool CapturedBytes::holds(const std::string& direction, std::uint64_t seq, ByteView payload) const {
  auto found = directions_.find(direction);
  if (found == directions_.end() || found->second.bytes.size() < seq + payload.size()) return false;
  const Direction& seen = found->second;
  for (std::size_t i = 0; i < payload.size(); ++i) {
    if (!seen.known[seq + i] || seen.bytes[seq + i] != payload[i]) return false;
  }
  return true;
}

}  // namespace p2p::interop
