// Napster's lab summariser: the figures of the single-point-of-failure lab, from a run's telemetry records.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

namespace p2p::labs {

// How long after the server's restart searches count as "after" (issue 3: "> 0.9 within 20 s of the
// restart").
inline constexpr double kNapsterAfterRestartWindowSeconds = 20;

// Reads telemetry records (schema v1, common/telemetry/schema.h) and returns the lab's metrics object, the
// `metrics` of summary.json:
//   search_success_before   share of search_done events with ok before the server was killed (all, if never)
//   search_success_outage   the same while the server was down (from its node_killed to its node_restarted)
//   search_success_after    the same within kNapsterAfterRestartWindowSeconds after the restart
//   downloads_verified      download_done events with ok and md5_ok true
//   downloads_corrupt       download_done events whose whole file failed its MD5 (md5_ok false)
//   transfers_survived_outage  verified downloads that started (t - duration_s) before the kill and ended
//   after it
// The outage is the launcher's first node_killed event for a node of role "server", and its next
// node_restarted (or node_started) for that node. A ratio with no search in its window is null, and so are
// the outage and after ratios of a run without a kill. It also returns the window bounds and search counts,
// for plots and handouts, and the re-login figures of a run whose server was restarted
// (napster_relogins.h). Records that lack a field or carry the wrong type are skipped, never thrown on.
nlohmann::json napster_summary(const std::vector<nlohmann::json>& records);

}  // namespace p2p::labs
