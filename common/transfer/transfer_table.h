// TransferTable: the file transfers of one direction in flight on a node, one per connection.
#pragma once

#include <algorithm>
#include <cassert>
#include <functional>
#include <map>
#include <utility>
#include <vector>

#include "common/node/busy_timer.h"
#include "common/node/core.h"

namespace p2p::transfer {

// Tracks a node's downloads or its uploads, each on its own connection, whatever the protocol moving the
// bytes (Napster's transfer framing, HTTP), and runs a timer while any is in flight: uploads top their sends
// up on it, downloads look for stalls. Kept ordered by connection, so transfers are visited, share the uplink
// and end in a replayable order. A `Transfer` records its `last_progress`, for stalled().
template <typename Transfer>
class TransferTable {
 public:
  using Map = std::map<ConnId, Transfer>;

  TransferTable(Runtime& runtime, Duration period, std::function<void()> tick)
      : timer_(runtime, period, std::move(tick)) {}
  TransferTable(const TransferTable&) = delete;
  TransferTable& operator=(const TransferTable&) = delete;

  Transfer& add(ConnId conn, Transfer transfer) {
    Transfer& added = transfers_.insert_or_assign(conn, std::move(transfer)).first->second;
    timer_.set_busy(true);
    return added;
  }
  // Takes a transfer out and gives it back (its end); the timer stops with the last one.
  Transfer take(ConnId conn) {
    auto it = transfers_.find(conn);
    assert(it != transfers_.end());
    Transfer transfer = std::move(it->second);
    erase(it);
    return transfer;
  }
  void erase(ConnId conn) {
    if (auto it = transfers_.find(conn); it != transfers_.end()) erase(it);
  }

  Transfer* find(ConnId conn) {
    auto it = transfers_.find(conn);
    return it == transfers_.end() ? nullptr : &it->second;
  }
  bool owns(ConnId conn) const { return transfers_.contains(conn); }
  std::size_t size() const { return transfers_.size(); }
  template <typename Predicate>
  std::size_t count_if(Predicate predicate) const {
    return static_cast<std::size_t>(std::count_if(
        transfers_.begin(), transfers_.end(), [&](const auto& entry) { return predicate(entry.second); }));
  }
  // The connections whose transfer has not progressed for longer than `timeout`, in order.
  std::vector<ConnId> stalled(TimePoint now, Duration timeout) const {
    std::vector<ConnId> stalled;
    for (const auto& [conn, transfer] : transfers_) {
      if (now - transfer.last_progress > timeout) stalled.push_back(conn);
    }
    return stalled;
  }

  typename Map::iterator begin() { return transfers_.begin(); }
  typename Map::iterator end() { return transfers_.end(); }
  typename Map::const_iterator begin() const { return transfers_.begin(); }
  typename Map::const_iterator end() const { return transfers_.end(); }
  // The first transfer at or after `conn`: where a round of turns resumes.
  typename Map::iterator from(ConnId conn) { return transfers_.lower_bound(conn); }

 private:
  void erase(typename Map::iterator it) {
    transfers_.erase(it);
    timer_.set_busy(!transfers_.empty());
  }

  Map transfers_;
  BusyTimer timer_;  // while transfers_ is not empty
};

}  // namespace p2p::transfer
