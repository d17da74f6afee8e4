// Tests of the headless progress line: rates of the nodes still up, and the key event of the last interval.
#include "labs/launcher/progress.h"

#include <gtest/gtest.h>

namespace p2p::labs {
namespace {

using nlohmann::json;

json status(const std::string& node, double up_bps) {
  return {{"v", 1},
          {"kind", "status"},
          {"t", 1.0},
          {"node", node},
          {"system", "napster"},
          {"role", "peer"},
          {"up_bps", up_bps},
          {"down_bps", up_bps / 2},
          {"conns", 1},
          {"sys", json::object()}};
}
json event(const std::string& node, const std::string& name, json data) {
  return {{"v", 1},        {"kind", "event"},        {"t", 1.0},
          {"node", node},  {"system", "napster"},    {"role", "peer"},
          {"event", name}, {"data", std::move(data)}};
}

TEST(ProgressMeterTest, ShowsTheKeyEventOfTheLastIntervalAndTheRatesOfLiveNodes) {
  ProgressMeter meter("search_done");
  // Two peers upload 1 and 2 Mbit/s; three searches, two answered.
  meter.observe(status("peer-0", 1e6));
  meter.observe(status("peer-1", 2e6));
  meter.observe(event("peer-0", "search_done", {{"ok", true}}));
  meter.observe(event("peer-1", "search_done", {{"ok", true}}));
  meter.observe(event("peer-1", "search_done", {{"ok", false}}));
  std::string first = meter.line(5, 2, 2, 40);
  EXPECT_NE(first.find("nodes up 2/2"), std::string::npos) << first;
  EXPECT_NE(first.find("search_done ok 2/3"), std::string::npos) << first;
  EXPECT_NE(first.find("up 3.0 Mb/s"), std::string::npos) << first;
  EXPECT_NE(first.find("40 records"), std::string::npos) << first;

  // peer-1 is killed: its rate no longer counts, and the next line counts only the new searches.
  meter.observe(event("launcher", "node_killed", {{"node", "peer-1"}}));
  meter.observe(event("peer-0", "search_done", {{"ok", false}}));
  std::string second = meter.line(10, 1, 2, 50);
  EXPECT_NE(second.find("search_done ok 0/1"), std::string::npos) << second;
  EXPECT_NE(second.find("up 1.0 Mb/s"), std::string::npos) << second;
}

}  // namespace
}  // namespace p2p::labs
