// Sample messages: a small supernode network of two, one child sharing a song and searching for it.
#include "tests/kazaa/sample_messages.h"

#include "common/util/bytes.h"

namespace p2p::kazaa {

std::vector<Message> sample_messages() {
  const Endpoint supernode_a{"10.0.0.1", 1214};  // 1214: KaZaA's well-known port
  const Endpoint supernode_b{"10.0.0.2", 1215};
  const Endpoint child{"10.0.1.7", 40123};
  const std::vector<SupernodeEntry> known = {{supernode_a, 35, 12}, {supernode_b, 80, 300}};
  const Sha1Digest song = sha1(as_bytes("generic band - generic song"));
  return {
      SupernodeList{known},
      Login{"lefty", child.port, 512, 7200, true, false},
      AttachAccept{known},
      AttachRefuse{{known.back()}},
      ShareFile{
          "generic band - generic song.mp3", 443332, song, {{"artist", "generic band"}, {"codec", "mp3"}}},
      Unshare{song},
      Query{7, "generic song", 50},
      QueryReply{7, supernode_a, {{child, "lefty", song, 443332, "generic band - generic song.mp3"}}},
      SearchEnd{7},
      SearchForward{301, supernode_a, "generic song", 43},
      NetworkStats{150, 15000, 3'500'000'000ull},
      Ping{0xc0ffee},
      Pong{0xc0ffee, 35},
      Handoff{known},
  };
}

}  // namespace p2p::kazaa
