// The headless progress line: what a run is doing, every few seconds, in one line of text.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace p2p::labs {

// Follows the records as they pass and sums what the line shows: the aggregate rates from each node's last
// status, and the ok share of the system's key event (summarisers.h).
class ProgressMeter {
 public:
  explicit ProgressMeter(std::string key_event) : key_event_(std::move(key_event)) {}

  // Status records update a node's rates; the launcher's events about a node's end drop them.
  void observe(const nlohmann::json& record);

  // "[  15s] nodes up 31/31 | search_done ok 28/30 | up 1.2 Mb/s, down 1.1 Mb/s | 2412 records", where the
  // key event counts are those since the previous line (an outage shows at once, not diluted by the past).
  std::string line(double elapsed, std::size_t up, std::size_t known, std::size_t records);

 private:
  std::string key_event_;
  std::size_t key_total_ = 0;  // since the last line
  std::size_t key_ok_ = 0;
  std::map<std::string, std::pair<double, double>> rates_;  // node -> up, down bits/s
};

}  // namespace p2p::labs
