// summary.json: the generic figures of a run and the system's metrics, and how the launcher prints them.
#pragma once

#include <cstdint>
#include <istream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace p2p::labs {

// What the supervisor counted over a run.
struct RunCounts {
  std::size_t nodes_started = 0;    // distinct nodes started at least once
  std::size_t nodes_restarted = 0;  // restarts
  std::size_t nodes_killed = 0;     // SIGKILLs the launcher sent (timeline, churn, commands)
  std::size_t nodes_left = 0;       // graceful leaves the launcher asked for
  std::size_t nodes_crashed = 0;    // exits nobody asked for, other than a clean exit code 0
};

struct RunFacts {
  std::string scenario;  // the scenario's name ("spof")
  std::string scenario_path;
  std::string system;
  std::string out;
  std::uint64_t seed = 0;
  double started_at = 0;    // seconds since the epoch: the zero of the report's time axis
  double duration_s = 0;    // how long the run lasted
  std::size_t records = 0;  // telemetry records written to events.jsonl
  RunCounts counts;
};

// {"scenario":..,"seed":..,"duration_s":..,"nodes_started":..,...,"metrics":{...}}
nlohmann::json make_summary(const RunFacts& facts, nlohmann::json metrics);

// The summary as a few lines for a terminal: the generic figures, one metric per line (an array too long for
// a line only as its length), then the verdict of each goal (goals.h) the summary carries: met, or missed
// and by how much.
std::string format_summary(const nlohmann::json& summary);

// What a summariser reads of a run's records: every event record, and the last status record of each node (a
// long run's status records would not fit in memory, and summaries are about events and final states).
// Records that are not valid are skipped. Each is kept as its line of events.jsonl and parsed again by
// take(): parsed, the 1.35 million event records of 10,000 peers in lab 01 take 2.2 GiB, as text 350 MiB.
class SummaryRecords {
 public:
  // `record` and `line`, its text in events.jsonl.
  void add(const nlohmann::json& record, std::string line);
  // The event records in the order they came, then each node's last status, by node name.
  std::vector<nlohmann::json> take();

 private:
  std::vector<std::string> events_;
  std::map<std::string, std::string> last_status_;
};

// SummaryRecords of the lines of events.jsonl.
std::vector<nlohmann::json> records_for_summary(std::istream& jsonl);

}  // namespace p2p::labs
