// Fuzz target for the control messages of a lab, at both ends: the launcher's command endpoint
// (handle_command and rate_message, labs/launcher/command_server.h) takes any request and answers
// {"ok":...}; a node's control channel (decode_control, common/telemetry/control.h) decodes any message or
// refuses it, and what the launcher's rate_message builds a node always decodes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/telemetry/control.h"
#include "labs/launcher/command_server.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace p2p;
  std::string_view input(reinterpret_cast<const char*>(data), size);

  auto command = telemetry::decode_control(input);
  if (command && command->kind == telemetry::ControlCommand::Kind::Rate) {
    LinkConfig link = telemetry::apply_rate(*command, LinkConfig{});
    if (!(link.loss >= 0 && link.loss <= 1) || link.latency.count() < 0) std::abort();
  }

  auto request = nlohmann::json::parse(input, nullptr, /*allow_exceptions=*/false);
  if (request.is_discarded()) return 0;
  // A lab that has ended: node commands are refused, info and quit still answer.
  labs::LabHandle lab{.supervisor = nullptr,
                      .quit = [] {},
                      .info =
                          [] {
                            return nlohmann::json{{"state", "ended"}};
                          },
                      .control = [](const std::string&, const nlohmann::json&) {}};
  nlohmann::json reply = labs::handle_command(request, lab);
  if (!reply.is_object() || !reply.contains("ok")) std::abort();
  if (auto message = labs::rate_message(request)) {
    auto decoded = telemetry::decode_control(message->dump());
    if (!decoded || decoded->kind != telemetry::ControlCommand::Kind::Rate) std::abort();
  }
  return 0;
}
