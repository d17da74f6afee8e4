// Per-second aggregation of telemetry records.
#include "labs/launcher/timeseries.h"

#include <cmath>
#include <limits>

#include "common/telemetry/schema.h"

namespace p2p::labs {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

}  // namespace

TimeSeries::TimeSeries(std::size_t seconds) : rows_(seconds) {
  std::vector<double>& t = column("t");
  for (std::size_t i = 0; i < rows_; ++i) t[i] = static_cast<double>(i);
}

const std::vector<double>* TimeSeries::find(const std::string& name) const {
  auto it = columns_.find(name);
  return it == columns_.end() ? nullptr : &it->second;
}

std::vector<double>& TimeSeries::column(const std::string& name) {
  auto it = columns_.find(name);
  if (it != columns_.end()) return it->second;
  names_.push_back(name);
  return columns_.emplace(name, std::vector<double>(rows_, kNan)).first->second;
}

void TimeSeries::write_csv(std::ostream& out) const {
  for (std::size_t c = 0; c < names_.size(); ++c) out << (c ? "," : "") << names_[c];
  out << "\n";
  for (std::size_t r = 0; r < rows_; ++r) {
    for (std::size_t c = 0; c < names_.size(); ++c) {
      double v = columns_.at(names_[c])[r];
      if (c) out << ",";
      if (!std::isnan(v)) out << v;
    }
    out << "\n";
  }
}

void SeriesBuilder::add_to(const std::string& column, std::size_t second, double value) {
  std::vector<double>& sums = sums_[column];
  if (sums.size() <= second) sums.resize(second + 1, 0.0);
  sums[second] += value;
}

void SeriesBuilder::commit(const NodeStatus& status) {
  for (const auto& [name, value] : status.values) add_to(name, status.second, value);
}

void SeriesBuilder::add(const nlohmann::json& record) {
  if (!telemetry::is_valid_record(record)) return;
  double t = record["t"].get<double>() - start_;
  if (t < 0) t = 0;
  // A record that claims to be from years ahead would make a huge table; clamp it to a day.
  auto second = static_cast<std::size_t>(std::min(t, 86400.0));
  last_second_ = std::max(last_second_, second);
  const std::string& node = record["node"].get_ref<const std::string&>();

  if (record["kind"] == "status") {
    NodeStatus status{second, {}};
    auto number = [&](const char* key) {
      return record.contains(key) && record[key].is_number() ? record[key].get<double>() : 0.0;
    };
    status.values["up_kbps"] = number("up_bps") / 1000;
    status.values["down_kbps"] = number("down_bps") / 1000;
    status.values["conns"] = number("conns");
    for (const auto& [field, value] : record["sys"].items()) {
      if (!value.is_number()) continue;
      sys_names_.insert("sys_" + field);
      status.values["sys_" + field] = value.get<double>();
    }
    auto it = latest_.find(node);
    if (it != latest_.end() && it->second.second != second) commit(it->second);
    latest_[node] = std::move(status);
    return;
  }

  const std::string& name = record["event"].get_ref<const std::string&>();
  event_names_.insert(name);
  add_to(name, second, 1);
  const nlohmann::json& data = record["data"];
  if (data.is_object() && data.contains("ok") && data["ok"].is_boolean()) {
    event_names_.insert(name + "_ok");
    add_to(name + "_ok", second, data["ok"].get<bool>() ? 1 : 0);
  }
  if (record["system"] != "launcher" || !data.is_object() || !data.contains("node") ||
      !data["node"].is_string()) {
    return;
  }
  std::string subject = data["node"].get<std::string>();
  bool starts = name == telemetry::kNodeStarted || name == telemetry::kNodeRestarted;
  bool ends =
      name == telemetry::kNodeKilled || name == telemetry::kNodeLeft || name == telemetry::kNodeExited;
  if (starts && up_.insert(subject).second) up_changes_.push_back({second, +1});
  if (ends && up_.erase(subject)) up_changes_.push_back({second, -1});
}

TimeSeries SeriesBuilder::finish(std::optional<double> seconds) {
  for (const auto& [node, status] : latest_) commit(status);
  latest_.clear();
  // Whole seconds only: the run's last fraction of a second is its shutdown.
  std::size_t rows =
      seconds ? static_cast<std::size_t>(std::max(1.0, std::floor(*seconds))) : last_second_ + 1;
  TimeSeries series(rows);

  std::vector<double>& up = series.column("nodes_up");
  int running = 0;
  std::size_t next = 0;
  for (std::size_t s = 0; s < rows; ++s) {
    while (next < up_changes_.size() && up_changes_[next].first <= s) running += up_changes_[next++].second;
    up[s] = running;
  }
  auto fill = [&](const std::string& name, bool zero_when_missing) {
    std::vector<double>& out = series.column(name);
    auto it = sums_.find(name);
    for (std::size_t s = 0; s < rows; ++s) {
      bool have = it != sums_.end() && s < it->second.size();
      out[s] = have ? it->second[s] : (zero_when_missing ? 0.0 : kNan);
    }
  };
  for (const char* link : {"up_kbps", "down_kbps", "conns"}) fill(link, true);
  for (const std::string& name : event_names_) fill(name, true);
  for (const std::string& name : sys_names_) fill(name, true);
  return series;
}

}  // namespace p2p::labs
