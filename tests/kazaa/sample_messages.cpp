// Sample messages: a small supernode network of three, one child sharing a song and searching for it.
#include "tests/kazaa/sample_messages.h"

#include "common/util/bytes.h"

namespace p2p::kazaa {
namespace {

const Endpoint kSupernodeA{"10.0.0.1", 1214};  // 1214: KaZaA's well-known port
const Endpoint kSupernodeB{"10.0.0.2", 1215};
const Endpoint kChild{"10.0.1.7", 40123};

std::vector<SupernodeEntry> known_supernodes() {
  return {{kSupernodeA, 35, 12}, {kSupernodeB, 80, 300}};
}

}  // namespace

std::vector<Message> sample_messages() {
  const Sha1Digest song = sha1(as_bytes("generic band - generic song"));
  return {
      SupernodeList{known_supernodes()},
      Login{"lefty", kChild.port, 512, 7200, true, false},
      AttachAccept{known_supernodes()},
      AttachRefuse{{{kSupernodeB, 80, 300}}},
      ShareFile{
          "generic band - generic song.mp3", 443332, song, {{"artist", "generic band"}, {"codec", "mp3"}}},
      Unshare{song},
      Query{7, "generic song", 50},
      QueryReply{7, kSupernodeA, {{kChild, "lefty", song, 443332, "generic band - generic song.mp3"}}},
      SearchEnd{7},
      SearchForward{301, kSupernodeA, "generic song", 43},
      NetworkStats{150, 15000, 3'500'000'000ull},
      Ping{0xc0ffee},
      Pong{0xc0ffee, 35},
      Handoff{known_supernodes()},
  };
}

}  // namespace p2p::kazaa
