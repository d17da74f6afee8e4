// Hand-made telemetry records of a BitTorrent run, as the peers and the launcher write them, for the tests of
// the BitTorrent summaries.
#pragma once

#include <string>
#include <utility>

#include <nlohmann/json.hpp>

namespace p2p::labs::bittorrent_records {

using nlohmann::json;

inline json record(double t, const std::string& kind, const std::string& node, const std::string& system,
                   const std::string& role) {
  return {{"v", 1}, {"kind", kind}, {"t", t}, {"node", node}, {"system", system}, {"role", role}};
}
inline json launcher(double t, const std::string& event, json data) {
  json r = record(t, "event", "launcher", "launcher", "launcher");
  r["event"] = event;
  r["data"] = std::move(data);
  return r;
}
// The launcher starting `node` on a link with `up_kbps` of upload (0: no link, so no figure).
inline json started(double t, const std::string& node, const std::string& role, double up_kbps) {
  json data = {{"node", node}, {"role", role}, {"pid", 100}, {"link", up_kbps > 0 ? "adsl2" : ""}};
  if (up_kbps > 0) data["up_kbps"] = up_kbps;
  return launcher(t, "node_started", std::move(data));
}
inline json completed(double t, const std::string& node, double seconds, json content_ok,
                      json verified = true) {
  json r = record(t, "event", node, "bittorrent", "peer");
  r["event"] = "completed";
  r["data"] = {{"seconds", seconds},       {"bytes", 1000},       {"from_seeds", 400}, {"from_leechers", 600},
               {"content_ok", content_ok}, {"verified", verified}};
  return r;
}
inline json status(double t, const std::string& node, const std::string& role, json sys) {
  json r = record(t, "status", node, "bittorrent", role);
  r["sys"] = std::move(sys);
  return r;
}
// A peer's last status: `completed_s` 0 for a seed, the download time for a finished leecher, null while
// leeching.
inline json peer_status(double t, const std::string& node, json completed_s, double downloaded,
                        double from_seeds) {
  return status(t, node, "peer",
                {{"completed_s", completed_s},
                 {"downloaded", downloaded},
                 {"from_seeds", from_seeds},
                 {"from_leechers", downloaded - from_seeds}});
}
// A peer's piece_done event: `piece` stored, `have` of `pieces` held, `seconds` after its start.
inline json piece_done(double t, const std::string& node, int piece, int have, int pieces, double seconds) {
  json r = record(t, "event", node, "bittorrent", "peer");
  r["event"] = "piece_done";
  r["data"] = {{"piece", piece}, {"have", have}, {"pieces", pieces}, {"seconds", seconds}};
  return r;
}

}  // namespace p2p::labs::bittorrent_records
