// BitTorrent under SIGKILLs (issue 18, chaos runs): which leechers stayed and finished, and what each
// restarted leecher resumed from.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "labs/launcher/summaries/bittorrent_run.h"

namespace p2p::labs::bt {

// Figures for the leechers (node ids) of a run where some node was killed, nothing otherwise:
//   leechers_killed       leechers SIGKILLed at least once
//   survivors             leechers not killed for good (never killed, or started again after)
//   survivors_completed   of those, the ones that completed
//   resumes               restarts that found verified pieces in their storage (`resumed` events)
//   resumed_pieces        the pieces those restarts found
//   resume_lost_pieces    pieces a leecher had stored before a restart and did not find after it
//   refetched_pieces      pieces stored again after a restart that had been stored before it
// A leecher that resumes from its verified pieces has the last two at 0.
nlohmann::json chaos_figures(const Run& run, const std::vector<std::string>& leechers);

}  // namespace p2p::labs::bt
