// QueryDriver: how the supernode a search starts at asks other supernodes, round by round, until it has
// enough.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <vector>

#include "common/net/endpoint.h"
#include "common/util/time.h"

namespace p2p::kazaa {

// FastTrack's network configuration (giFT-FastTrack notes; PROTOCOLS.md, KaZaA): a search goes to 6 to 10
// further supernodes at a time and brings back at most 200 results.
inline constexpr std::size_t kSearchIndirectNodesMin = 6;
inline constexpr std::size_t kSearchIndirectNodesMax = 10;
inline constexpr std::size_t kSearchResultsMax = 200;

struct QueryDriverConfig {
  std::size_t want = 50;                           // --want: enough matches to stop asking
  std::size_t indirect = kSearchIndirectNodesMin;  // --indirect: supernodes asked per round (FastTrack: 6-10)
  Duration round_timeout = seconds(2);             // p2plab's: a round waits this long for its last replies
  std::size_t max_results = kSearchResultsMax;     // results passed on to the searching node, at most
};

// What the supernode does next for this search.
struct QueryStep {
  std::vector<Endpoint> forward_to{};  // send each an SN-to-SN search forward
  std::size_t pass_on = 0;             // how many of the matches just found go to the searching node
  bool finished = false;               // send the searching node a search end; the driver is done
  std::optional<TimePoint> wake_at{};  // call on_timer then: the round's timeout
};

// Drives one search from the supernode of the node that asked it (PROTOCOLS.md, KaZaA: "driven by the
// originating SN, not a recursive flood"). The supernode's own index answers first; while it has fewer than
// `want` matches and supernodes it has not asked remain, it asks the next `indirect` of them, each at most
// once. A round ends when all of it has replied or its timeout fires; a reply from an earlier round that
// comes late still counts. The search ends when it has enough matches or nobody is left to ask. Matches past
// `max_results` are not passed on. It counts the SN-to-SN messages (forwards sent, replies received) and the
// supernodes contacted, for the messages-per-query telemetry. Time is passed in.
class QueryDriver {
 public:
  // `supernodes`: whom it may ask, in the order to ask them (its neighbours first, say); repeats are dropped.
  QueryDriver(QueryDriverConfig config, const std::vector<Endpoint>& supernodes);

  // The search starts with `local_matches` from the supernode's own index.
  QueryStep start(std::size_t local_matches, TimePoint now);
  // `from` replied with `matches`. Replies from a supernode not asked, or a second one, are ignored.
  QueryStep on_reply(const Endpoint& from, std::size_t matches, TimePoint now);
  QueryStep on_timer(TimePoint now);

  bool finished() const { return finished_; }
  std::size_t matches() const { return matches_; }  // passed on so far
  std::size_t rounds() const { return rounds_; }
  std::size_t supernodes_contacted() const { return next_; }
  std::size_t messages() const { return next_ + replies_; }

 private:
  QueryStep count(std::size_t found, QueryStep step);
  QueryStep next_round(QueryStep step, TimePoint now);
  QueryStep finish(QueryStep step);

  QueryDriverConfig config_;
  std::vector<Endpoint> supernodes_;
  std::size_t next_ = 0;           // supernodes_[0, next_) have been asked
  std::set<Endpoint> unanswered_;  // asked, no reply yet, any round
  std::set<Endpoint> this_round_;  // asked in the current round, no reply yet
  std::optional<TimePoint> round_ends_;
  std::size_t matches_ = 0;
  std::size_t rounds_ = 0;
  std::size_t replies_ = 0;
  bool finished_ = false;
};

}  // namespace p2p::kazaa
