// What the three parts of bench-bittorrent share: their settings and the small clients they talk to trackers
// and peers with.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/util/hash.h"
#include "tests/interop/interop_util.h"

namespace p2p::bench {

struct Settings {
  int runs = 3;
  std::string which = "a,b,c";
  std::uint64_t size_mib = 512;
  std::uint64_t piece_kib = 256;
  double wrk_seconds = 5;
  int leechers = 200;
  std::uint64_t swarm_mib = 16;
  int swarm_runs = 1;
};

// SIGTERM to all first, so that processes which leave gracefully do it together; Process's destructor then
// waits for each.
void signal_all(const std::vector<std::unique_ptr<interop::Process>>& processes);
// The JSON of the first "completed" event in a bt-peer's debug log, if it is there yet.
std::optional<nlohmann::json> completed_event(const std::filesystem::path& log);
// The body of an HTTP/1.0 GET to 127.0.0.1:port (one request, then the server closes).
std::optional<std::string> http_get(int port, const std::string& target);
// Whether the server answers a second HTTP/1.1 request on the connection of the first, as wrk expects; a
// server that closes after each answer costs wrk a new TCP connection per request.
bool keeps_connections_open(int port, const std::string& target);

// A tracker's scrape figures for one torrent (BEP 48): seeds and leechers it knows.
struct Scrape {
  std::int64_t complete = -1, incomplete = -1;
};
Scrape scrape(int port, const Sha1Digest& info_hash);

// The three parts; each prints its figures.
void run_transfer_bench(const Settings& settings);  // a. transfer_bench.cpp
void run_tracker_bench(const Settings& settings);   // b. tracker_bench.cpp
void run_swarm_bench(const Settings& settings);     // c. swarm_bench.cpp

}  // namespace p2p::bench
