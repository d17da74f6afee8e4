// Lenient field reads from telemetry JSON: a missing or mistyped field gives a fallback, never an exception.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace p2p::dashboard {

// Records come from other processes, so a panel must cope with any field being absent or of the wrong type.
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

inline std::string string_at(const nlohmann::json& object, std::string_view key, std::string fallback = "") {
  const nlohmann::json* value = field_at(object, key);
  if (value == nullptr || !value->is_string()) return fallback;
  return value->get<std::string>();
}

// True only for a JSON `true`: an absent or garbled "ok" counts as failure.
inline bool flag_at(const nlohmann::json& object, std::string_view key) {
  const nlohmann::json* value = field_at(object, key);
  return value != nullptr && value->is_boolean() && value->get<bool>();
}

}  // namespace p2p::dashboard
