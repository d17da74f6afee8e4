// TelemetrySink: how a core reports events, without knowing whether they go to ZeroMQ, SimNet or a test.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace p2p {

// A core calls event() for things that happen once (a search answered, a download verified). Its periodic
// status is pulled from Core::status() by whoever runs it. Record layout: common/telemetry/schema.h.
class TelemetrySink {
 public:
  virtual ~TelemetrySink() = default;
  virtual void event(std::string_view name, nlohmann::json data = nlohmann::json::object()) = 0;
};

}  // namespace p2p
