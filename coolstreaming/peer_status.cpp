// The peer's status record, field for field as coolstreaming/PROTOCOL.md, "Telemetry", lists it.
#include "coolstreaming/peer.h"

#include "common/util/encoding.h"

namespace p2p::coolstreaming {
namespace {

template <typename T>
nlohmann::json or_null(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json Peer::status() const {
  nlohmann::json partners = nlohmann::json::array();
  for (const auto& [conn, partner] : partners_.all()) {
    if (!partner.established) continue;
    partners.push_back({{"peer", partner.id.str()},
                        {"score", partners_.scores().rates(partner.id).score()},
                        {"window_start", partner.map ? partner.map->start() : 0},
                        {"bitmap", partner.map ? to_hex(partner.map->packed()) : ""}});
  }
  const Player* player = player_ ? &*player_ : nullptr;
  std::optional<SegmentId> newest = source_newest();
  std::optional<double> startup_ms, lag_s;
  if (player && player->startup_delay()) startup_ms = to_millis(*player->startup_delay());
  if (player && newest && player->lag(*newest)) lag_s = to_seconds(*player->lag(*newest));
  return {{"overlay", config_.overlay == Overlay::Tree ? "tree" : "mesh"},
          {"uploading", uploading()},
          {"window_start", store_.map().start()},
          {"window_length", store_.map().length()},
          {"bitmap", to_hex(store_.map().packed())},
          {"play_point", player ? nlohmann::json(player->play_point()) : nlohmann::json(nullptr)},
          {"source_newest", or_null(newest)},
          {"partners", partners},
          {"parent", attached_ ? nlohmann::json(parent_.str()) : nlohmann::json(nullptr)},
          {"children", children_.size()},
          {"continuity", player ? or_null(player->continuity()) : nlohmann::json(nullptr)},
          {"due", player ? player->due_count() : 0},
          {"on_time", player ? player->on_time_count() : 0},
          {"missed", player ? player->missed_count() : 0},
          {"startup_ms", or_null(startup_ms)},
          {"lag_s", or_null(lag_s)},
          {"video_bytes", received_.video},
          {"control_bytes", received_.control},
          {"server_bytes", server_bytes_},
          {"requests_duplicate", requests_duplicate_},
          {"join_attempts", attempts_.attempts()}};
}

}  // namespace p2p::coolstreaming
