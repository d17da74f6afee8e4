// Short human-readable figures for the dashboard's narrow columns.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace p2p::dashboard {

// Bits per second with an SI suffix in at most 6 characters: "0", "950", "12.5k", "3.40M", "1.25G".
std::string format_rate(double bps);
// A count or size with an SI suffix: "42", "12.3k", "5.60M"; `unit` is appended ("B" for bytes).
std::string format_amount(double value, std::string_view unit = "");
// A number as the panels show it, or "-" when the node has not reported it.
std::string format_number(std::optional<double> value, int decimals = 0);
// Seconds as "4s", "12m", "3h"; how long since a node was last heard from.
std::string format_age(double seconds);
// A record's wall time as local "HH:MM:SS"; "--:--:--" for a time no clock shows (negative, huge, NaN).
std::string format_clock(double t);
// A JSON value as the panels show it: strings unquoted, fractions to 3 significant digits, the rest as JSON.
std::string format_value(const nlohmann::json& value);
// An event's data as "key=value key=value", strings unquoted, at most `width` characters.
std::string summarize(const nlohmann::json& data, std::size_t width);
// Text cut or padded to exactly `width` characters.
std::string fit(std::string_view text, std::size_t width);

}  // namespace p2p::dashboard
