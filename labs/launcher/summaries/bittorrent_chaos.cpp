// BitTorrent's chaos figures: survivors, their completions, and resumes checked piece by piece.
#include "labs/launcher/summaries/bittorrent_chaos.h"

#include <algorithm>
#include <set>

namespace p2p::labs::bt {

using nlohmann::json;

json chaos_figures(const Run& run, const std::vector<std::string>& leechers) {
  if (!any_killed(run.launched)) return json::object();
  std::size_t killed = 0, survivors = 0, survivors_completed = 0, resumes = 0;
  double resumed_pieces = 0, lost = 0, refetched = 0;
  for (const std::string& node : leechers) {
    const LaunchedNode& launched = run.launched.at(node);
    killed += std::ranges::any_of(launched.runs, &Uptime::killed) ? 1 : 0;
    auto report = run.peers.find(node);
    if (!launched.killed_for_good()) {
      ++survivors;
      survivors_completed += report != run.peers.end() && report->second.completed != nullptr ? 1 : 0;
    }
    if (report == run.peers.end()) continue;
    const PeerReport& peer = report->second;
    // Walk the stored pieces in time order, life by life: what earlier lives stored, the storage should
    // hold at each restart (the restart's `resumed` event, none when it found nothing) and the peer never
    // fetch again.
    std::set<std::uint32_t> stored;
    auto piece = peer.pieces.begin();
    for (std::size_t life = 0; life < launched.runs.size(); ++life) {
      const Uptime& up = launched.runs[life];
      if (life > 0) {
        auto resume = std::ranges::find_if(peer.resumes, [&](const Resume& r) { return r.t >= up.from; });
        double have = resume != peer.resumes.end() && (!up.to || resume->t <= *up.to) ? resume->have : 0;
        resumes += have > 0 ? 1 : 0;
        resumed_pieces += have;
        lost += std::max(0.0, static_cast<double>(stored.size()) - have);
      }
      for (; piece != peer.pieces.end() && (!up.to || piece->t <= *up.to); ++piece) {
        refetched += life > 0 && stored.contains(piece->piece) ? 1 : 0;
        stored.insert(piece->piece);
      }
    }
  }
  return {{"leechers_killed", killed},
          {"survivors", survivors},
          {"survivors_completed", survivors_completed},
          {"resumes", resumes},
          {"resumed_pieces", resumed_pieces},
          {"resume_lost_pieces", lost},
          {"refetched_pieces", refetched}};
}

}  // namespace p2p::labs::bt
