// The servent's descriptor counters, as telemetry reads them.
#include "gnutella/traffic_counters.h"

#include <algorithm>

namespace p2p::gnutella {

std::string_view counter_name(PayloadType type) {
  switch (type) {
    case PayloadType::Ping:
      return "ping";
    case PayloadType::Pong:
      return "pong";
    case PayloadType::Bye:
      return "bye";
    case PayloadType::Push:
      return "push";
    case PayloadType::Query:
      return "query";
    case PayloadType::QueryHit:
      return "query_hit";
  }
  return "unknown";
}

std::size_t TrafficCounters::slot(PayloadType type) {
  return static_cast<std::size_t>(std::find(kTypes.begin(), kTypes.end(), type) - kTypes.begin());
}

std::uint64_t TrafficCounters::dropped(DropReason reason) const {
  auto it = dropped_.find(std::string(to_string(reason)));
  return it == dropped_.end() ? 0 : it->second;
}

nlohmann::json TrafficCounters::to_json() const {
  nlohmann::json in = nlohmann::json::object();
  nlohmann::json out = nlohmann::json::object();
  for (PayloadType type : kTypes) {
    in[std::string(counter_name(type))] = in_[slot(type)];
    out[std::string(counter_name(type))] = out_[slot(type)];
  }
  return {{"in", in},
          {"out", out},
          {"dropped", dropped_},
          {"duplicates", dropped(DropReason::Duplicate)},
          {"malformed", malformed_}};
}

}  // namespace p2p::gnutella
