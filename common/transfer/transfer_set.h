// TransferSet: what every set of transfers keeps, and what its core may ask of it.
#pragma once

#include <functional>
#include <utility>

#include <nlohmann/json.hpp>

#include "common/node/core.h"
#include "common/transfer/transfer_table.h"

namespace p2p::transfer {

// The base of a node's downloads or uploads, whatever the protocol moving the bytes (Napster's transfer
// framing, HTTP): the transfers in flight with their timer, and their tally (DownloadTally, UploadTally). The
// core asks whether a connection is one of them, how many there are, and their status fields; the protocol
// that derives from it feeds the connections.
template <typename Transfer, typename Tally>
class TransferSet {
 public:
  TransferSet(const TransferSet&) = delete;
  TransferSet& operator=(const TransferSet&) = delete;

  bool owns(ConnId conn) const { return transfers_.owns(conn); }
  std::size_t active() const { return transfers_.size(); }
  const Tally& tally() const { return tally_; }
  nlohmann::json status() const { return tally_.to_json(transfers_.size()); }

 protected:
  // `tick` runs every `period` while a transfer is in flight.
  TransferSet(Runtime& runtime, Duration period, std::function<void()> tick)
      : runtime_(runtime), transfers_(runtime, period, std::move(tick)) {}
  ~TransferSet() = default;

  Runtime& runtime_;
  TransferTable<Transfer> transfers_;
  Tally tally_;
};

}  // namespace p2p::transfer
