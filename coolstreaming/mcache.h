// MCache: DONet's partial view of the overlay, filled by SCAMP-style gossip of membership records.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "common/net/endpoint.h"
#include "common/util/random.h"
#include "common/util/time.h"

namespace p2p::coolstreaming {

// What a membership message announces: <seq_num, id, num_partner, time_to_live> (DONet, section 3.A).
// `seq` grows with each announcement a node makes of itself, so a higher one is newer news; `ttl` is how
// long the record stays valid from when it was received.
struct MemberRecord {
  std::uint32_t seq = 0;
  Endpoint id;
  std::uint16_t num_partner = 0;
  Duration ttl{};
};

struct MCacheConfig {
  Endpoint self;  // never stored: a node is not its own partner candidate
  // The most members kept; when full, the record that would expire soonest makes room. SCAMP views grow
  // like log(n), so a few dozen serve thousands of nodes, and gossip from strangers cannot fill memory.
  std::size_t capacity = 64;
  // What one gossip hop takes off a record's time to live, so a record that keeps being passed on stops
  // after ttl / hop_ttl hops even in a small overlay where every node already knows it.
  Duration hop_ttl = std::chrono::seconds(1);
};

// What to do with one gossiped membership record.
struct GossipDecision {
  bool stored = false;                 // the view now holds the record (new, or newer than the one it had)
  std::optional<Endpoint> forward_to;  // pass `forwarded` on to this member of the view
  MemberRecord forwarded;              // the record with one hop taken off its ttl
};

// A node's partial view of the overlay, DONet's mCache (Zhang et al., INFOCOM 2005, section 3.A). Each
// entry is a membership record with the local time it was last updated; a record with a higher seq
// replaces the one held, and an entry expires when its ttl has run out since that update. Partner
// candidates are drawn from it at random. Records spread by the SCAMP subscription rule (Ganesh,
// Kermarrec and Massoulié, "SCAMP: peer-to-peer lightweight membership service for large-scale group
// communication", NGC 2001): a node that learns of a new member keeps it with probability
// 1 / (1 + view size) and otherwise forwards it to a random member of its view, so views grow like log(n)
// without anyone knowing n. Time and randomness are passed in.
class MCache {
 public:
  struct Entry {
    MemberRecord record;
    TimePoint updated{};
  };

  explicit MCache(MCacheConfig config) : config_(std::move(config)) {}

  // Inserts the record, or refreshes the entry for its id if the record's seq is higher. Returns whether
  // the view changed.
  bool update(const MemberRecord& record, TimePoint now);
  void remove(const Endpoint& id);
  // Drops the entries whose ttl has run out by `now` and returns their ids.
  std::vector<Endpoint> expire(TimePoint now);

  // Up to `count` distinct members at random, none of them in `exclude` (the current partners, say).
  std::vector<Endpoint> pick(std::size_t count, std::span<const Endpoint> exclude, Rng& rng) const;

  // The SCAMP rule for a record gossiped to us by `from`:
  //   - about ourselves, with no ttl left, or no newer than the entry held: it goes no further;
  //   - newer news of a member we hold: refresh the entry and pass it on to a random member;
  //   - a member we do not hold: keep it with probability 1 / (1 + view size), otherwise pass it on to a
  //     random member (not `from`, not the member itself); kept anyway if there is nobody to pass it to or
  //     no ttl left to pass, so a subscription is never lost.
  GossipDecision on_gossip(const MemberRecord& record, const Endpoint& from, TimePoint now, Rng& rng);

  std::size_t size() const { return entries_.size(); }
  const Entry* find(const Endpoint& id) const;
  std::span<const Entry> entries() const { return entries_; }
  // The record as we would pass it on now: its ttl is what remains of it since the entry's update.
  static MemberRecord current(const Entry& entry, TimePoint now);

 private:
  std::optional<Endpoint> forward_target(const MemberRecord& record, const Endpoint& from, Rng& rng) const;

  MCacheConfig config_;
  std::vector<Entry> entries_;  // a partial view is small: scanned linearly
};

}  // namespace p2p::coolstreaming
