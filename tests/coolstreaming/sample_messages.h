// One CoolStreaming message of every kind, with every field away from its default, for the codec and framer
// tests and for the frames the Wireshark dissector test decodes.
#pragma once

#include <vector>

#include "coolstreaming/message.h"

namespace p2p::coolstreaming::testing {

inline std::vector<Message> one_of_every_kind() {
  StreamInfo stream{500, 1000, 4242};
  Endpoint deputy{"10.0.0.7", 7001};
  return {
      Join{7002, 768, Overlay::Mesh, Role::Peer, 1},
      Join{7003, 0, Overlay::Tree, Role::Peer, 3},
      Join{7100, 100'000, Overlay::Mesh, Role::Server, 1},
      JoinRedirect{stream, deputy, Endpoint{"10.0.0.2", 7100}},
      JoinRedirect{stream, deputy, Endpoint{"0.0.0.0", 0}},
      JoinRefused{2500},
      Candidates{{{deputy, 3}, {Endpoint{"192.168.1.20", 40001}, 0}}},
      Candidates{},
      Membership{17, Endpoint{"10.0.0.9", 7009}, 4, 30'000},
      Leave{18, Endpoint{"10.0.0.9", 7009}, 29'000},
      PartnerRequest{7002, 768},
      PartnerAccept{2000},
      PartnerRefuse{},
      // Segments 4200..4209 of a 10-segment window: 4200-4207 held, 4208 missing, 4209 held.
      BufferMapMessage{4200, 10, true, {0xff, 0x40}},
      // A newcomer that holds nothing yet and will not upload (--no-upload).
      BufferMapMessage{0, 8, false, {0x00}},
      SegmentRequestMessage{{4208, 4210, 4211}},
      Segment{4208, Bytes{'l', 'i', 'v', 'e', 0x00, 0xff}},
      SegmentUnavailable{{4210}},
      TreeParent{stream, Endpoint{"10.0.0.3", 7003}},
      TreeAttach{7004},
  };
}

}  // namespace p2p::coolstreaming::testing
