// Assembling and printing summary.json.
#include "labs/launcher/summary.h"

#include <sstream>
#include <utility>

#include "common/telemetry/schema.h"

namespace p2p::labs {

nlohmann::json make_summary(const RunFacts& facts, nlohmann::json metrics) {
  return {{"scenario", facts.scenario},
          {"scenario_path", facts.scenario_path},
          {"system", facts.system},
          {"out", facts.out},
          {"seed", facts.seed},
          {"started_at", facts.started_at},
          {"duration_s", facts.duration_s},
          {"records", facts.records},
          {"nodes_started", facts.counts.nodes_started},
          {"nodes_restarted", facts.counts.nodes_restarted},
          {"nodes_killed", facts.counts.nodes_killed},
          {"nodes_left", facts.counts.nodes_left},
          {"nodes_crashed", facts.counts.nodes_crashed},
          {"metrics", metrics.is_object() ? std::move(metrics) : nlohmann::json::object()}};
}

namespace {

// Longer metrics (a timeline of a long run, a histogram per sample) would flood the terminal; summary.json
// keeps them whole.
constexpr std::size_t kLongestPrinted = 600;

std::string printed(const nlohmann::json& value) {
  std::string text = value.dump();
  if (text.size() <= kLongestPrinted || !value.is_array()) return text;
  return "[" + std::to_string(value.size()) + " entries, in summary.json]";
}

}  // namespace

std::string format_summary(const nlohmann::json& summary) {
  std::ostringstream out;
  auto get = [&](const char* key) { return summary.contains(key) ? summary[key].dump() : std::string("?"); };
  out << "summary of " << summary.value("scenario", "?") << " (seed " << get("seed") << ", "
      << get("duration_s") << " s): " << get("nodes_started") << " nodes started, " << get("nodes_restarted")
      << " restarts, " << get("nodes_killed") << " killed, " << get("nodes_left") << " left, "
      << get("nodes_crashed") << " crashed\n";
  if (summary.contains("metrics") && summary["metrics"].is_object()) {
    for (const auto& [name, value] : summary["metrics"].items())
      out << "  " << name << " = " << printed(value) << "\n";
  }
  if (summary.contains("goals") && summary["goals"].is_array()) {
    for (const nlohmann::json& goal : summary["goals"]) {
      if (!goal.is_object()) continue;
      out << "  goal " << goal.value("goal", "?") << ": ";
      if (!goal.contains("met") || !goal["met"].is_boolean()) {
        out << "no figure\n";
      } else if (goal["met"].get<bool>()) {
        out << "met (" << goal.value("value", nlohmann::json()).dump() << ")\n";
      } else {
        out << "MISSED by " << goal.value("missed_by", nlohmann::json()).dump() << " ("
            << goal.value("value", nlohmann::json()).dump() << ")\n";
      }
    }
  }
  return out.str();
}

void SummaryRecords::add(const nlohmann::json& record, std::string line) {
  if (!telemetry::is_valid_record(record)) return;
  if (record["kind"] == "status") {
    last_status_[record["node"].get<std::string>()] = std::move(line);
  } else {
    events_.push_back(std::move(line));
  }
}

std::vector<nlohmann::json> SummaryRecords::take() {
  std::vector<nlohmann::json> records;
  records.reserve(events_.size() + last_status_.size());
  for (std::string& line : events_) {
    records.push_back(nlohmann::json::parse(line));
    std::string().swap(line);  // the text goes as its record comes, so the two are not held whole at once
  }
  events_ = {};
  for (const auto& [node, line] : last_status_) records.push_back(nlohmann::json::parse(line));
  last_status_.clear();
  return records;
}

std::vector<nlohmann::json> records_for_summary(std::istream& jsonl) {
  SummaryRecords records;
  std::string line;
  while (std::getline(jsonl, line)) {
    nlohmann::json record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    records.add(record, std::move(line));
  }
  return records.take();
}

}  // namespace p2p::labs
