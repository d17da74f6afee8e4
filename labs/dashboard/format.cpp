// Formatting figures, times and event data for the dashboard.
#include "labs/dashboard/format.h"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace p2p::dashboard {
namespace {

std::string printf_string(const char* format, double value, std::string_view suffix) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, format, value);
  return std::string(buffer) + std::string(suffix);
}

}  // namespace

std::string format_amount(double value, std::string_view unit) {
  static constexpr const char* kSuffixes[] = {"", "k", "M", "G", "T"};
  if (!std::isfinite(value)) return "?";
  std::size_t i = 0;
  double scaled = value;
  while (std::fabs(scaled) >= 1000 && i + 1 < std::size(kSuffixes)) {
    scaled /= 1000;
    ++i;
  }
  std::string suffix = std::string(kSuffixes[i]) + std::string(unit);
  if (i == 0) return printf_string("%.0f", scaled, suffix);
  return printf_string(std::fabs(scaled) < 10 ? "%.2f" : (std::fabs(scaled) < 100 ? "%.1f" : "%.0f"), scaled,
                       suffix);
}

std::string format_rate(double bps) {
  return format_amount(bps);
}

std::string format_number(std::optional<double> value, int decimals) {
  if (!value) return "-";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, *value);
  return buffer;
}

std::string format_age(double seconds) {
  if (seconds < 0) seconds = 0;
  if (seconds < 100) return printf_string("%.0f", seconds, "s");
  if (seconds < 6000) return printf_string("%.0f", seconds / 60, "m");
  return printf_string("%.0f", seconds / 3600, "h");
}

std::string format_clock(double t) {
  // A record's time comes from a node, so it may be anything: converting a double outside time_t's range
  // (or NaN) is undefined, and no clock shows a time past 10^15 s anyway.
  if (!(t >= 0 && t < 1e15)) return "--:--:--";
  std::time_t seconds = static_cast<std::time_t>(t);
  std::tm local{};
  if (localtime_r(&seconds, &local) == nullptr) return "--:--:--";
  char buffer[16];
  std::strftime(buffer, sizeof buffer, "%H:%M:%S", &local);
  return buffer;
}

std::string format_value(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_float()) return printf_string("%.3g", value.get<double>(), "");
  return value.dump();
}

std::string summarize(const nlohmann::json& data, std::size_t width) {
  std::string text;
  if (data.is_object()) {
    for (const auto& [key, value] : data.items()) {
      if (text.size() >= width) break;
      if (!text.empty()) text += ' ';
      text += key + "=" + format_value(value);
    }
  } else if (!data.is_null()) {
    text = format_value(data);
  }
  if (text.size() > width) text.resize(width);
  return text;
}

std::string fit(std::string_view text, std::size_t width) {
  std::string out(text.substr(0, width));
  out.resize(width, ' ');
  return out;
}

}  // namespace p2p::dashboard
