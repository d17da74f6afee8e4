// The registry of systems' lab hooks. A system adds one line here (and its theory, if its lab has one).
#include "labs/launcher/summarisers.h"

#include "bittorrent/summary.h"
#include "gnutella/summary.h"
#include "labs/launcher/theory.h"
#include "napster/summary.h"

namespace p2p::labs {

const SystemHooks* hooks_for(std::string_view system) {
  static const SystemHooks kHooks[] = {
      {"napster", &napster::summarise, "search_done", &napster_theory},
      {"bittorrent", &bittorrent::summarise, "completed", nullptr},
      {"gnutella", &gnutella::summarise, "download_done", &gnutella_theory},
  };
  for (const SystemHooks& hooks : kHooks) {
    if (hooks.system == system) return &hooks;
  }
  return nullptr;
}

}  // namespace p2p::labs
