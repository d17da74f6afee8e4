// Building and checking telemetry records.
#include "common/telemetry/schema.h"

namespace p2p::telemetry {
namespace {

// Set key by key: a braced list builds each pair as a two-element array first and copies it into the
// object, and every record of a run starts here.
nlohmann::json header(const Origin& origin, double t, std::string_view kind) {
  nlohmann::json record(nlohmann::json::value_t::object);
  record["v"] = kSchemaVersion;
  record["kind"] = kind;
  record["t"] = t;
  record["node"] = origin.node;
  record["system"] = origin.system;
  record["role"] = origin.role;
  return record;
}

}  // namespace

nlohmann::json make_status(const Origin& origin, double t, const LinkFigures& link, nlohmann::json sys) {
  nlohmann::json record = header(origin, t, "status");
  record["up_bps"] = link.up_bps;
  record["down_bps"] = link.down_bps;
  record["conns"] = link.conns;
  record["sys"] = std::move(sys);
  return record;
}

nlohmann::json make_event(const Origin& origin, double t, std::string_view name, nlohmann::json data) {
  nlohmann::json record = header(origin, t, "event");
  record["event"] = name;
  record["data"] = std::move(data);
  return record;
}

bool is_valid_record(const nlohmann::json& record) {
  if (!record.is_object()) return false;
  auto has_string = [&](const char* key) { return record.contains(key) && record[key].is_string(); };
  if (!record.contains("v") || record["v"] != kSchemaVersion) return false;
  if (!record.contains("t") || !record["t"].is_number()) return false;
  if (!has_string("node") || !has_string("system") || !has_string("role") || !has_string("kind"))
    return false;
  if (record["kind"] == "status") return record.contains("sys") && record["sys"].is_object();
  if (record["kind"] == "event") return has_string("event") && record.contains("data");
  return false;
}

}  // namespace p2p::telemetry
