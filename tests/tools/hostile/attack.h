// The attacks of the hostile client (issue 18, "Hostile peers"), each against one listener on 127.0.0.1,
// reporting what it sent and how the peer reacted.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "tests/tools/hostile/socket_probe.h"
#include "tests/tools/hostile/target_frames.h"

namespace p2p::hostile {

struct AttackConfig {
  std::uint16_t port = 0;
  Clock::duration wait = std::chrono::seconds(2);       // how long to watch the peer's reaction
  Clock::duration slowloris = std::chrono::seconds(5);  // how long to trickle a frame
  std::size_t connections = 1000;                       // many-connections
  std::size_t requests = 10000;                         // flood
  std::size_t garbage_bytes = 64 * 1024;
  std::uint64_t seed = 1;
};

// The attack names --attack accepts: garbage, handshake-garbage, huge-length, slowloris, many-connections,
// flood, and `valid`, an honest client's opening and one request (the check that a node still serves).
std::vector<std::string> attack_names();

// Runs `attack`, printing one line per step to `out`. Returns the exit code: 0 once it ran (for `valid`, once
// the peer answered), 1 if the listener could not be reached (or did not answer `valid`).
int run_attack(std::string_view attack, const TargetFrames& frames, const AttackConfig& config,
               std::ostream& out);

}  // namespace p2p::hostile
