// The lecture's lower bounds on the time to distribute one file to N peers, client-server and peer-to-peer.
#pragma once

#include <vector>

namespace p2p::labs {

// What the bounds depend on (Kurose and Ross, Computer Networking, "distribution time"; PROTOCOLS.md, seed
// 004). Sizes in bits, rates in bits per second; an uncapped link is +infinity, which drops its term.
struct BoundInputs {
  double file_bits = 0;                  // F
  double server_up_bps = 0;              // u_s: the server's (the seeds') upload
  std::vector<double> peer_up_bps = {};  // u_i: each of the N peers that want the file
  double min_down_bps = 0;               // d_min: the slowest of those peers' downloads
};

// Client-server: the server sends N copies, and the slowest peer takes one in:
//   D_cs >= max(N F / u_s, F / d_min).
double client_server_bound_s(const BoundInputs& d);

// Peer-to-peer: the server sends at least one copy, the slowest peer takes one in, and the N copies must go
// up somebody's line at the swarm's total upload:
//   D_p2p >= max(F / u_s, F / d_min, N F / (u_s + sum u_i)).
// A peer that never uploads counts with u_i = 0; when none does, this is the client-server bound.
double p2p_bound_s(const BoundInputs& d);

}  // namespace p2p::labs
