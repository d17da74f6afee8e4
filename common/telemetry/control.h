// The launcher's control messages to its nodes (common/host/host.h): what a node reads from the control
// channel, decoded without trusting it.
#pragma once

#include <optional>
#include <string_view>

#include "common/net/link_shaper.h"
#include "common/util/expected.h"

namespace p2p::telemetry {

// The largest figures a rate command may carry: a link of 10^12 kbit/s and a latency of one hour are far
// beyond any lab, and keep every conversion to bits per second and to a Duration in range.
inline constexpr double kMaxControlKbps = 1e12;
inline constexpr double kMaxControlLatencyMs = 3'600'000;

// One command: {"cmd":"stop"}, {"cmd":"leave"} or
// {"cmd":"rate","up_kbps":N,"down_kbps":N,"latency_ms":N,"loss":F}, each rate field optional.
struct ControlCommand {
  enum class Kind { Stop, Leave, Rate };
  Kind kind = Kind::Stop;
  std::optional<double> up_kbps;
  std::optional<double> down_kbps;
  std::optional<double> latency_ms;
  std::optional<double> loss;  // the fraction of outgoing datagrams lost, 0 to 1
};

// Decodes one message body. Anything but a JSON object with a known "cmd" string, or a rate field that is
// not a number in its range (kbps and milliseconds from 0 to the limits above, loss from 0 to 1), is an
// error that names what was wrong; the launcher's rate_message (labs/launcher/command_server.h) never sends
// one.
Expected<ControlCommand> decode_control(std::string_view body);

// `link` with the fields a rate command gives changed and the others kept.
LinkConfig apply_rate(const ControlCommand& rate, LinkConfig link);

}  // namespace p2p::telemetry
