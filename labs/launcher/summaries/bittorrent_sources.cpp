// The leechers' bytes from seeds and from leechers, summed over the leechers at each sample.
#include "labs/launcher/summaries/bittorrent_sources.h"

#include <vector>

#include "labs/launcher/summaries/bittorrent_availability.h"

namespace p2p::labs::bt {

nlohmann::json sources_timeline(const Run& run) {
  std::vector<const PeerReport*> leechers;
  for (const auto& [node, launched] : run.launched) {
    auto it = run.peers.find(node);
    if (it == run.peers.end() || !in_swarm(launched, it->second) || is_seed(it->second)) continue;
    leechers.push_back(&it->second);
  }
  std::vector<std::size_t> next(leechers.size(), 0);
  std::vector<double> from_seeds(leechers.size(), 0), from_leechers(leechers.size(), 0);
  nlohmann::json timeline = nlohmann::json::array();
  for (std::size_t k = 0; run.start + static_cast<double>(k) * kTimelineStep <= run.end; ++k) {
    double at = static_cast<double>(k) * kTimelineStep;
    double seeds_sum = 0, leechers_sum = 0;
    for (std::size_t i = 0; i < leechers.size(); ++i) {
      const std::vector<PieceDone>& pieces = leechers[i]->pieces;  // in time order (read_run)
      for (; next[i] < pieces.size() && pieces[next[i]].t <= run.start + at; ++next[i]) {
        from_seeds[i] = pieces[next[i]].from_seeds.value_or(from_seeds[i]);
        from_leechers[i] = pieces[next[i]].from_leechers.value_or(from_leechers[i]);
      }
      seeds_sum += from_seeds[i];
      leechers_sum += from_leechers[i];
    }
    timeline.push_back({at, seeds_sum, leechers_sum});
  }
  return timeline;
}

}  // namespace p2p::labs::bt
