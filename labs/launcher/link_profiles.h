// Link profiles (adsl, cable, fibre...) and mixes of them, which give each node of a lab its shaped link.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/net/link_shaper.h"
#include "common/util/expected.h"
#include "common/util/random.h"

namespace p2p::labs {

// One kind of access link, as the node flags --up-kbps, --down-kbps, --latency-ms and --loss take it (0 kbps:
// no cap).
struct LinkProfile {
  std::uint64_t up_kbps = 0;
  std::uint64_t down_kbps = 0;
  double latency_ms = 0;
  double loss = 0;  // the fraction of outgoing datagrams the link loses, 0 to 1
};

// The built-in profiles, shaped like the home links of each era: adsl (the asymmetric line of Napster's
// users, 1 Mb/s down, 256 kb/s up), cable, fibre, and lan (no shaping at all).
std::map<std::string, LinkProfile> builtin_profiles();

// The profile as the link model takes it (common/net/link_shaper.h): what a node under --sim is given.
LinkConfig link_config(const LinkProfile& profile);

// A weighted choice of profiles, written "adsl:60,cable:30,fibre:10" (weights are relative) or just "adsl".
class LinkMix {
 public:
  struct Share {
    std::string profile;
    double weight;
  };

  // Every profile named must be in `known`; weights must be positive.
  static Expected<LinkMix> parse(std::string_view text, const std::map<std::string, LinkProfile>& known);

  bool empty() const { return shares_.empty(); }
  const std::vector<Share>& shares() const { return shares_; }

  // Profiles for `count` nodes: each profile gets its share of the nodes, rounded by largest remainder so
  // that 30 nodes of "adsl:60,cable:30,fibre:10" are exactly 18, 9 and 3; then the order is shuffled, so that
  // the slow nodes are not all the first ones to start.
  std::vector<std::string> assign(std::size_t count, Rng& rng) const;
  // One profile drawn by weight, for a node added after the start (a spawn).
  std::string draw(Rng& rng) const;

 private:
  std::vector<Share> shares_;
};

}  // namespace p2p::labs
