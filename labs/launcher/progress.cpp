// Progress lines.
#include "labs/launcher/progress.h"

#include <cstdio>

#include "common/telemetry/schema.h"

namespace p2p::labs {
namespace {

std::string rate(double bps) {
  char text[32];
  if (bps >= 1e6) {
    std::snprintf(text, sizeof text, "%.1f Mb/s", bps / 1e6);
  } else {
    std::snprintf(text, sizeof text, "%.0f kb/s", bps / 1e3);
  }
  return text;
}

double number(const nlohmann::json& record, const char* key) {
  auto it = record.find(key);
  return it != record.end() && it->is_number() ? it->get<double>() : 0.0;
}

}  // namespace

void ProgressMeter::observe(const nlohmann::json& record) {
  const std::string kind = record.value("kind", "");
  if (kind == "status") {
    rates_[record.value("node", "")] = {number(record, "up_bps"), number(record, "down_bps")};
    return;
  }
  if (kind != "event") return;
  const std::string event = record.value("event", "");
  const nlohmann::json& data = record["data"];
  if (!data.is_object()) return;
  if (!key_event_.empty() && event == key_event_) {
    ++key_total_;
    if (data.value("ok", false)) ++key_ok_;
  } else if (event == telemetry::kNodeKilled || event == telemetry::kNodeLeft ||
             event == telemetry::kNodeExited) {
    rates_.erase(data.value("node", ""));
  }
}

std::string ProgressMeter::line(double elapsed, std::size_t up, std::size_t known, std::size_t records) {
  double up_bps = 0, down_bps = 0;
  for (const auto& [node, r] : rates_) {
    up_bps += r.first;
    down_bps += r.second;
  }
  char head[64];
  std::snprintf(head, sizeof head, "[%5.0fs] nodes up %zu/%zu", elapsed, up, known);
  std::string out = head;
  if (!key_event_.empty()) {
    out += " | " + key_event_ + " ok " + std::to_string(key_ok_) + "/" + std::to_string(key_total_);
    key_ok_ = key_total_ = 0;
  }
  out += " | up " + rate(up_bps) + ", down " + rate(down_bps) + " | " + std::to_string(records) + " records";
  return out;
}

}  // namespace p2p::labs
