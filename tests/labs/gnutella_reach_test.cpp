// The Gnutella lab's reach, counted by the run's summary and by the dashboard's panel from the same events.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/telemetry/schema.h"
#include "labs/dashboard/dashboard_app.h"
#include "labs/dashboard/gnutella_panel.h"
#include "labs/launcher/summaries/gnutella.h"

namespace p2p::labs {
namespace {

using nlohmann::json;

json gnutella_event(const std::string& node, double t, std::string_view name, json data) {
  return telemetry::make_event({node, "gnutella", "servent"}, t, name, std::move(data));
}

json seen(const std::string& node, double t, int hops, int forwarded) {
  return gnutella_event(node, t, "query_seen",
                        {{"guid", "aa"}, {"hops", hops}, {"ttl", 3 - hops}, {"forwarded", forwarded}});
}

TEST(GnutellaReachTest, TheSummaryAndTheDashboardCountTheSameNodesAndMessages) {
  // n0 sends a query to its two neighbours, n1 and n2, which forward 2 and 1 copies; n3 sees it at hop 2.
  // Then n1, restarted with an empty seen-table, processes a late copy again, and a copy comes back to n0:
  // neither is one more node reached, nor are their forwarded copies counted.
  std::vector<json> records = {
      gnutella_event("n0", 100, "query_sent", {{"guid", "aa"}, {"words", "blue"}, {"ttl", 3}, {"sent", 2}}),
      seen("n1", 100.01, 1, 2),
      seen("n2", 100.01, 1, 1),
      seen("n3", 100.02, 2, 0),
      seen("n1", 100.03, 2, 1),
      seen("n0", 100.03, 2, 1)};

  json summary = labs::gnutella_summary(records);

  dashboard::DashboardApp app(dashboard::builtin_panels(), false);
  for (const json& record : records) app.apply(record, 1.0);
  dashboard::QueryTraces traces;
  for (std::size_t i = 0; i < app.lab().events().size(); ++i) traces.observe(app.lab().events()[i]);
  const dashboard::QueryTrace* trace = traces.last_of("n0");
  ASSERT_NE(trace, nullptr);

  EXPECT_EQ(summary["reach_mean"], 3.0);
  EXPECT_EQ(trace->reached(), 3u);
  EXPECT_EQ(summary["messages_per_query_mean"], 5.0);  // 2 sent, then 2 + 1 + 0 forwarded
  EXPECT_EQ(trace->messages(), 5u);
}

}  // namespace
}  // namespace p2p::labs
