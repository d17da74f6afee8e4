// Lenient field reads from telemetry JSON: records come from other processes, so any field may be absent or
// of the wrong type. Each read gives a fallback, never an exception. Used by the summarisers and the
// dashboard.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace p2p::telemetry {

inline const nlohmann::json* field_at(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

inline std::optional<double> number_at(const nlohmann::json& object, std::string_view key) {
  const nlohmann::json* value = field_at(object, key);
  if (value == nullptr || !value->is_number()) return std::nullopt;
  return value->get<double>();
}

// A count, a TTL or a pid: a number with no more than 2^53 in size (where doubles stop being exact), cut
// to a whole one; nothing otherwise. Converting a larger double, an infinity or NaN to an integer type is
// undefined behaviour, and records come from other processes.
inline std::optional<std::int64_t> whole_at(const nlohmann::json& object, std::string_view key) {
  constexpr double kExact = 9007199254740992.0;  // 2^53
  auto value = number_at(object, key);
  if (!value || !(*value >= -kExact && *value <= kExact)) return std::nullopt;
  return static_cast<std::int64_t>(*value);
}

inline std::string string_at(const nlohmann::json& object, std::string_view key, std::string fallback = "") {
  const nlohmann::json* value = field_at(object, key);
  if (value == nullptr || !value->is_string()) return fallback;
  return value->get<std::string>();
}

inline std::optional<bool> bool_at(const nlohmann::json& object, std::string_view key) {
  const nlohmann::json* value = field_at(object, key);
  if (value == nullptr || !value->is_boolean()) return std::nullopt;
  return value->get<bool>();
}

// True only for a JSON `true`: an absent or garbled "ok" counts as failure.
inline bool flag_at(const nlohmann::json& object, std::string_view key) {
  return bool_at(object, key).value_or(false);
}

// An event record's "data" object, or an empty object.
inline const nlohmann::json& data_of(const nlohmann::json& record) {
  static const nlohmann::json kEmpty = nlohmann::json::object();
  const nlohmann::json* data = field_at(record, "data");
  return data != nullptr && data->is_object() ? *data : kEmpty;
}

}  // namespace p2p::telemetry
