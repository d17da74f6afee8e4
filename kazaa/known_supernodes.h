// KnownSupernodes: the supernodes a KaZaA node knows of, as FastTrack's "supernode refresh list".
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "common/net/endpoint.h"
#include "common/util/time.h"
#include "kazaa/supernode_entry.h"

namespace p2p::kazaa {

struct KnownSupernodesConfig {
  // FastTrack lists carry at most 200 entries (giFT-FastTrack notes), so keeping more is pointless.
  std::size_t capacity = kMaxSupernodeEntries;
  // An entry not heard of for this long is forgotten. FastTrack does not say; supernodes stay up about 2.5 h
  // on average (Liang, Kumar, Ross 2006), so half an hour of silence makes one more likely gone than not.
  Duration max_age = std::chrono::minutes(30);
};

// Tracks the supernodes this node has heard of: where they listen, their load, and when they were last heard
// of. Ordinary nodes ship with such a list, supernodes hand out fresh ones and swap them among themselves
// (PROTOCOLS.md, KaZaA "Joining"). An entry's `last_seen_s` is an age on the sender's side, so an entry
// received at `now` was heard of at now - last_seen_s; of two reports about one supernode the fresher wins.
// A supernode found dead stays dead until some report newer than its death says otherwise, so a stale list
// from a neighbour cannot bring it back. Every choice is ordered freshest first, then least loaded, then by
// address, so that the same inputs give the same list on every run.
class KnownSupernodes {
 public:
  explicit KnownSupernodes(Endpoint self, KnownSupernodesConfig config = {})
      : self_(std::move(self)), config_(config) {}

  // Takes in a list received at `now` (shipped, answered, or swapped). This node itself and addresses that
  // cannot be dialled (IP or port 0) are skipped. When over capacity, the stalest entries go.
  void merge(std::span<const SupernodeEntry> entries, TimePoint now);
  // `address` answered at `now` (a pong, an attach answer) and says it carries `load_percent`.
  void heard_from(const Endpoint& address, std::uint8_t load_percent, TimePoint now);
  // `address` stopped answering at `now`: it is no candidate and is not handed out any more.
  void mark_dead(const Endpoint& address, TimePoint now);
  // Forgets what was last heard of more than max_age before `now`, dead marks included.
  void expire(TimePoint now);

  // Up to `count` supernodes to try, not in `exclude` (those already tried), best first.
  std::vector<SupernodeEntry> candidates(TimePoint now, std::span<const Endpoint> exclude,
                                         std::size_t count) const;
  // The list to send to another node: the live entries, best first, at most kMaxSupernodeEntries, each
  // `last_seen_s` an age as of `now`. A supernode adds itself if it wants to be known.
  std::vector<SupernodeEntry> to_send(TimePoint now) const {
    return candidates(now, {}, kMaxSupernodeEntries);
  }

  // How many were heard of at most `window` before `now`: the supernodes likely still up, as the election
  // counts them (an entry lingers for max_age after its supernode stepped down or died unseen).
  std::size_t heard_within(TimePoint now, Duration window) const;

  // The load last reported for `address` (a list entry or a pong); empty if it is not in the list.
  std::optional<std::uint8_t> load_percent(const Endpoint& address) const;

  bool contains(const Endpoint& address) const { return live_.contains(address); }
  bool is_dead(const Endpoint& address) const { return dead_.contains(address); }
  std::size_t size() const { return live_.size(); }

 private:
  struct Live {
    TimePoint heard_at;
    std::uint8_t load_percent = 0;
  };

  // Records a report, unless a fresher one or a later death is already known.
  void learn(const Endpoint& address, std::uint8_t load_percent, TimePoint heard_at);
  void evict_stalest();

  Endpoint self_;
  KnownSupernodesConfig config_;
  // Ordered, so that ties come out the same on every run.
  std::map<Endpoint, Live> live_;
  std::map<Endpoint, TimePoint> dead_;  // when each was found dead
};

}  // namespace p2p::kazaa
