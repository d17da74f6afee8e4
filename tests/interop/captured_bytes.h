// The bytes each direction of each captured TCP connection carried, by sequence number: what tells a
// retransmitted copy from new data when a capture is read back.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/util/bytes.h"

namespace p2p::interop {

// A sender that resends a segment (RFC 9293 3.8.1; on Linux also the Tail Loss Probe of RFC 8985 7, which
// fires after a couple of round trips without an ACK) puts bytes on the wire that the capture already holds.
// Wireshark hands those bytes to a dissector once, with the first copy, and shows the second as bare TCP.
// A test reading a capture records every segment here in capture order, and asks, for a segment that no
// dissector took, whether it is such a copy: every one of its bytes seen before, at the same sequence
// numbers of the same direction, with the same value. A resend that changes a byte is not a copy.
class CapturedBytes {
 public:
  // `direction` names one way of one connection (e.g. tshark's tcp.stream and tcp.srcport); `seq` is the
  // relative sequence number of the segment's first byte (tshark's tcp.seq: 1 for the first byte after the
  // SYN), so the bytes of a direction sit in one buffer from 0.
  void record(const std::string& direction, std::uint64_t seq, ByteView payload);
  // Whether every byte of `payload` was recorded before in `direction` at the same sequence number.
  bool holds(const std::string& direction, std::uint64_t seq, ByteView payload) const;

 private:
  struct Direction {
    Bytes bytes;              // by sequence number
    std::vector<bool> known;  // which of them a segment carried
  };
  std::map<std::string, Direction> directions_;
};

}  // namespace p2p::interop
