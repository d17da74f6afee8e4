// The registry of systems' lab hooks. A system adds one line here (and its theory, if its lab has one).
#include "labs/launcher/summarisers.h"

#include "labs/launcher/summaries/bittorrent.h"
#include "labs/launcher/summaries/bittorrent_bound.h"
#include "labs/launcher/summaries/coolstreaming.h"
#include "labs/launcher/summaries/gnutella.h"
#include "labs/launcher/summaries/kazaa.h"
#include "labs/launcher/summaries/napster.h"
#include "labs/launcher/theory.h"

namespace p2p::labs {

const SystemHooks* hooks_for(std::string_view system) {
  static const SystemHooks kHooks[] = {
      {"napster", &napster_summary, "search_done", &napster_theory, {}, {}},
      {"bittorrent",
       &bittorrent_summary_with_bound,
       "completed",
       &bittorrent_plots,
       {bittorrent_progress_plot()},
       &bittorrent_heat_maps},
      {"gnutella", &gnutella_summary, "download_done", &gnutella_theory, {}, {}},
      {"kazaa", &kazaa_summary, "query_done", &kazaa_theory, {kazaa_reattach_plot()}, {}},
      {"coolstreaming", &coolstreaming_summary, "", &coolstreaming_theory, {}, {}},
  };
  for (const SystemHooks& hooks : kHooks) {
    if (hooks.system == system) return &hooks;
  }
  return nullptr;
}

}  // namespace p2p::labs
