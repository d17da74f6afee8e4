// The telemetry record schema (version 1): what every node publishes and every tool reads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace p2p::telemetry {

// Bump when a field changes meaning; readers check it.
inline constexpr int kSchemaVersion = 1;

// Who published a record.
struct Origin {
  std::string node;    // "peer-3", "server-0", or "launcher"
  std::string system;  // "napster", "gnutella", ..., or "launcher"
  std::string role;    // "server", "peer", ...
};

// The node's shaped link and connection figures at one moment.
struct LinkFigures {
  double up_bps = 0;
  double down_bps = 0;
  std::size_t conns = 0;
};

// A periodic status record, at most one every 500 ms per node:
//   {"v":1,"kind":"status","t":12.5,"node":"peer-3","system":"napster","role":"peer",
//    "up_bps":...,"down_bps":...,"conns":...,"sys":{ the core's status() }}
// A process's Host adds to sys the reasons its connections closed ("closes": {"reason": count}) and, once its
// listener has had to rest for want of descriptors, how often ("accept_rests").
nlohmann::json make_status(const Origin& origin, double t, const LinkFigures& link, nlohmann::json sys);

// An event record, for things that happen once:
//   {"v":1,"kind":"event","t":12.5,"node":"peer-3","system":"napster","role":"peer","event":"search_done","data":{...}}
nlohmann::json make_event(const Origin& origin, double t, std::string_view name, nlohmann::json data);

// True if `record` carries the fields every record has, at this schema version.
bool is_valid_record(const nlohmann::json& record);

// Published by every node's host before its core starts: {"listen":"127.0.0.1:PORT","pid":N}.
inline constexpr std::string_view kNodeListening = "listening";

// Launcher event names: the supervisor's view of each node's life.
inline constexpr std::string_view kNodeStarted = "node_started";
inline constexpr std::string_view kNodeKilled = "node_killed";
inline constexpr std::string_view kNodeLeft = "node_left";
inline constexpr std::string_view kNodeExited = "node_exited";
inline constexpr std::string_view kNodeRestarted = "node_restarted";

}  // namespace p2p::telemetry
