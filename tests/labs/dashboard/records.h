// Hand-made schema-v1 telemetry records for the dashboard tests.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "common/telemetry/schema.h"

namespace p2p::dashboard::testing {

inline nlohmann::json status(const std::string& node, const std::string& role, double t, double up_bps = 0,
                             double down_bps = 0, std::size_t conns = 0,
                             nlohmann::json sys = nlohmann::json::object(),
                             const std::string& system = "napster") {
  return telemetry::make_status({node, system, role}, t, {up_bps, down_bps, conns}, std::move(sys));
}

inline nlohmann::json event(const std::string& node, const std::string& role, double t, std::string_view name,
                            nlohmann::json data = nlohmann::json::object(),
                            const std::string& system = "napster") {
  return telemetry::make_event({node, system, role}, t, name, std::move(data));
}

// What the launcher publishes about a node's process: node_started, node_killed, node_left, ...
inline nlohmann::json launcher(double t, std::string_view name, const std::string& node,
                               const std::string& role = "peer") {
  return telemetry::make_event({"launcher", "launcher", "launcher"}, t, name,
                               {{"node", node}, {"role", role}});
}

}  // namespace p2p::dashboard::testing
