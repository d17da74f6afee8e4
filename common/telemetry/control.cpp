// Decoding the launcher's control messages.
#include "common/telemetry/control.h"

#include <chrono>
#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

namespace p2p::telemetry {
namespace {

// Reads `key` into `out` when it is there: a finite number from 0 to `max`, or an error.
Status read_figure(const nlohmann::json& message, const char* key, double max, std::optional<double>& out) {
  auto it = message.find(key);
  if (it == message.end()) return Ok{};
  if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < 0 ||
      it->get<double>() > max) {
    return make_error(std::string("rate: ") + key + " must be a number from 0 to " +
                      nlohmann::json(max).dump());
  }
  out = it->get<double>();
  return Ok{};
}

}  // namespace

Expected<ControlCommand> decode_control(std::string_view body) {
  auto message = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!message.is_object()) return make_error("a control message is a JSON object");
  auto cmd = message.find("cmd");
  if (cmd == message.end() || !cmd->is_string())
    return make_error("a control message needs a \"cmd\" string");
  ControlCommand command;
  const auto& name = cmd->get_ref<const std::string&>();
  if (name == "stop") return command;
  if (name == "leave") {
    command.kind = ControlCommand::Kind::Leave;
    return command;
  }
  if (name != "rate") return make_error("unknown control cmd '" + name + "' (known: stop, leave, rate)");
  command.kind = ControlCommand::Kind::Rate;
  for (Status read : {read_figure(message, "up_kbps", kMaxControlKbps, command.up_kbps),
                      read_figure(message, "down_kbps", kMaxControlKbps, command.down_kbps),
                      read_figure(message, "latency_ms", kMaxControlLatencyMs, command.latency_ms),
                      read_figure(message, "loss", 1, command.loss)}) {
    if (!read) return read.error();
  }
  return command;
}

LinkConfig apply_rate(const ControlCommand& rate, LinkConfig link) {
  if (rate.up_kbps) link.up_bps = static_cast<std::uint64_t>(*rate.up_kbps * 1000);
  if (rate.down_kbps) link.down_bps = static_cast<std::uint64_t>(*rate.down_kbps * 1000);
  if (rate.latency_ms) {
    link.latency =
        std::chrono::duration_cast<Duration>(std::chrono::duration<double, std::milli>(*rate.latency_ms));
  }
  if (rate.loss) link.loss = *rate.loss;
  return link;
}

}  // namespace p2p::telemetry
