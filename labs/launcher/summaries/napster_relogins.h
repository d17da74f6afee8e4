// Napster under a server that keeps dying (issue 18, chaos runs): after each restart of the index server,
// whether every peer that was up logged in again, and how soon.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

namespace p2p::labs {

// Figures for a run whose "server" role was restarted at least once, nothing otherwise. A server life after
// a restart lasts from its node_restarted to its next node_killed (or node_left, node_exited, the end of the
// records); a peer owes it a login when the peer was up through the whole life, and pays when it reported
// server_state "online" within it:
//   server_restarts    the server's restarts
//   relogins_expected  the (life, peer) pairs owed
//   relogins           the pairs paid
//   relogin_s_max      the longest wait from a restart to a peer's login (null without one)
nlohmann::json napster_relogin_figures(const std::vector<nlohmann::json>& records);

}  // namespace p2p::labs
