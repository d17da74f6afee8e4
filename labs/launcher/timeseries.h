// Per-second time series of a run, aggregated from its telemetry records, for the CSV and plots of a report.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace p2p::labs {

// A table with one row per second of the run. Missing values are NaN, written as empty CSV cells.
class TimeSeries {
 public:
  explicit TimeSeries(std::size_t seconds = 0);

  std::size_t rows() const { return rows_; }
  const std::vector<std::string>& names() const { return names_; }
  const std::vector<double>* find(const std::string& name) const;
  // The named column, created empty (all NaN) after the others if it is new.
  std::vector<double>& column(const std::string& name);

  // "t,nodes_up,..." then one line per second.
  void write_csv(std::ostream& out) const;

 private:
  std::size_t rows_;
  std::vector<std::string> names_;
  std::map<std::string, std::vector<double>> columns_;
};

// Builds a TimeSeries from records given one at a time (events.jsonl can be large). Columns:
//   t                  seconds since the start of the run
//   nodes_up           nodes running at the end of the second, from the launcher's events
//   up_kbps down_kbps conns   the sum over nodes of each node's last status in that second
//   EVENT, EVENT_ok    how many events of each name in that second, and how many with "ok": true in their
//   data sys_FIELD          the sum over nodes of each numeric top-level field of the status records' "sys"
class SeriesBuilder {
 public:
  // `start`: the run's start in the records' clock (seconds since the epoch).
  explicit SeriesBuilder(double start) : start_(start) {}

  void add(const nlohmann::json& record);
  // `seconds`: the run's duration, which gives the number of rows (whole seconds); by default, up to the last
  // record.
  TimeSeries finish(std::optional<double> seconds = std::nullopt);

 private:
  struct NodeStatus {
    std::size_t second = 0;
    std::map<std::string, double> values;
  };
  void commit(const NodeStatus& status);
  void add_to(const std::string& column, std::size_t second, double value);

  double start_;
  std::size_t last_second_ = 0;
  std::map<std::string, NodeStatus> latest_;
  std::map<std::string, std::vector<double>> sums_;
  std::set<std::string> event_names_;
  std::set<std::string> sys_names_;
  std::vector<std::pair<std::size_t, int>> up_changes_;  // (second, +1 or -1)
  std::set<std::string> up_;
};

}  // namespace p2p::labs
