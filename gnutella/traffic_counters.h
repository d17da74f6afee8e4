// TrafficCounters: a servent's descriptors in and out by payload type, and why it dropped what it dropped.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "gnutella/descriptor.h"
#include "gnutella/router.h"

namespace p2p::gnutella {

// The figures behind the flooding lab: how many descriptors of each type crossed this servent's links
// each way, how many it dropped and why (duplicates above all: the cost of flooding a graph with cycles),
// and how many frames were not descriptors at all. Summed over all servents, the Query "out" count is the
// message cost of a flood.
class TrafficCounters {
 public:
  void received(PayloadType type) { ++in_[slot(type)]; }
  void sent(PayloadType type, std::uint64_t copies = 1) { out_[slot(type)] += copies; }
  void dropped(DropReason reason) { ++dropped_[std::string(to_string(reason))]; }
  void malformed() { ++malformed_; }

  std::uint64_t in(PayloadType type) const { return in_[slot(type)]; }
  std::uint64_t out(PayloadType type) const { return out_[slot(type)]; }
  std::uint64_t dropped(DropReason reason) const;

  // {"in":{"ping":n,...},"out":{...},"dropped":{"duplicate":n,...},"duplicates":n,"malformed":n}
  nlohmann::json to_json() const;

 private:
  static constexpr std::array kTypes = {PayloadType::Ping, PayloadType::Pong,  PayloadType::Bye,
                                        PayloadType::Push, PayloadType::Query, PayloadType::QueryHit};
  static std::size_t slot(PayloadType type);

  std::array<std::uint64_t, kTypes.size()> in_{};
  std::array<std::uint64_t, kTypes.size()> out_{};
  std::map<std::string, std::uint64_t> dropped_;
  std::uint64_t malformed_ = 0;
};

// The telemetry name of a payload type: "ping", "pong", "bye", "push", "query", "query_hit".
std::string_view counter_name(PayloadType type);

}  // namespace p2p::gnutella
