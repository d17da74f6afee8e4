// The inbound connections of a source or peer that have not yet said what they are, and since when.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "common/net/endpoint.h"
#include "common/util/ids.h"
#include "common/util/time.h"

namespace p2p::coolstreaming {

// The remote address of each connection not yet a partner, child or assist server (its port is the
// connection's own, not where it listens), and when it arrived. An inbound connection owes its first message
// (a Join, PartnerRequest or TreeAttach, coolstreaming/PROTOCOL.md) within a hello timeout: without one, a
// connection that trickles that message a byte at a time (a slowloris), or sends nothing, is held for ever.
class PendingInbound {
 public:
  void add(ConnId conn, const Endpoint& remote, TimePoint now) { pending_[conn] = {remote, now}; }
  // Where `conn` comes from (a default Endpoint if it is not pending).
  Endpoint remote(ConnId conn) const {
    auto it = pending_.find(conn);
    return it == pending_.end() ? Endpoint{} : it->second.remote;
  }
  // Where `conn` comes from, if it is pending; it no longer is.
  std::optional<Endpoint> take(ConnId conn) {
    auto it = pending_.find(conn);
    if (it == pending_.end()) return std::nullopt;
    Endpoint remote = it->second.remote;
    pending_.erase(it);
    return remote;
  }
  void erase(ConnId conn) { pending_.erase(conn); }
  // The connections that arrived more than `timeout` before `now`, forgotten: the caller closes them.
  std::vector<ConnId> take_expired(TimePoint now, Duration timeout) {
    std::vector<ConnId> expired;
    for (auto it = pending_.begin(); it != pending_.end();) {
      if (now - it->second.since > timeout) {
        expired.push_back(it->first);
        it = pending_.erase(it);
      } else {
        ++it;
      }
    }
    return expired;
  }

 private:
  struct Entry {
    Endpoint remote;
    TimePoint since;
  };
  std::map<ConnId, Entry> pending_;
};

}  // namespace p2p::coolstreaming
