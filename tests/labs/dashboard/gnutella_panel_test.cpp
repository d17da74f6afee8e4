// Tests of the Gnutella panel: query traces added up from every node's events, and the servent's view.
#include "labs/dashboard/gnutella_panel.h"

#include <gtest/gtest.h>

#include "labs/dashboard/dashboard_app.h"
#include "labs/dashboard/keymap.h"
#include "tests/labs/dashboard/records.h"
#include "tests/labs/dashboard/text_canvas.h"

namespace p2p::dashboard {
namespace {

using testing::TextCanvas;

nlohmann::json gnutella_event(const std::string& node, double t, std::string_view name, nlohmann::json data) {
  return testing::event(node, "servent", t, name, std::move(data), "gnutella");
}

// A query from servent-0 (TTL 2, 3 neighbours) as the lab reports it: its 3 neighbours see it at hop 1 and
// forward 2 copies each; of those 6 copies, 4 reach new nodes at hop 2 and 2 are duplicates. Two nodes
// answer: one at hop 1, one at hop 2.
void flood(DashboardApp& app, const std::string& guid) {
  app.apply(gnutella_event("servent-0", 100, "query_sent",
                           {{"guid", guid}, {"words", "blue moon"}, {"ttl", 2}, {"sent", 3}}),
            1.0);
  for (int i = 1; i <= 3; ++i) {
    app.apply(gnutella_event("servent-" + std::to_string(i), 100.01, "query_seen",
                             {{"guid", guid}, {"hops", 1}, {"ttl", 1}, {"forwarded", 2}}),
              1.0);
  }
  for (int i = 4; i <= 7; ++i) {
    app.apply(gnutella_event("servent-" + std::to_string(i), 100.02, "query_seen",
                             {{"guid", guid}, {"hops", 2}, {"ttl", 0}, {"forwarded", 0}}),
              1.0);
  }
  app.apply(gnutella_event("servent-0", 100.05, "query_hit",
                           {{"guid", guid}, {"from", "127.0.0.1:7002"}, {"hops", 2}, {"latency_ms", 48}}),
            1.1);
  app.apply(gnutella_event("servent-0", 100.03, "query_hit",
                           {{"guid", guid}, {"from", "127.0.0.1:7001"}, {"hops", 1}, {"latency_ms", 31}}),
            1.1);
}

TEST(QueryTracesTest, AddUpEveryNodesEventsByHop) {
  DashboardApp app(builtin_panels(), false);
  flood(app, "aa");
  QueryTraces traces;
  // The same events straight into a trace table.
  for (std::size_t i = 0; i < app.lab().events().size(); ++i) traces.observe(app.lab().events()[i]);
  const QueryTrace* trace = traces.last_of("servent-0");
  ASSERT_NE(trace, nullptr);
  EXPECT_EQ(trace->words, "blue moon");
  EXPECT_EQ(trace->ttl, 2);
  EXPECT_EQ(trace->hops.at(1).copies, 3u);
  EXPECT_EQ(trace->hops.at(1).nodes, 3u);
  EXPECT_EQ(trace->hops.at(2).copies, 6u);
  EXPECT_EQ(trace->hops.at(2).nodes, 4u);
  EXPECT_EQ(trace->reached(), 7u);
  EXPECT_EQ(trace->messages(), 9u);
  EXPECT_EQ(trace->hits(), 2u);
  EXPECT_EQ(trace->first_hit_ms, 31);
  EXPECT_EQ(traces.last_of("servent-1"), nullptr);  // it sent nothing
}

TEST(QueryTracesTest, KeepOnlyEachServentsLastQuery) {
  QueryTraces traces;
  auto logged = [](const std::string& node, std::string_view name, nlohmann::json data) {
    return LoggedEvent{100, node, node, "gnutella", std::string(name), std::move(data)};
  };
  traces.observe(logged("servent-0", "query_sent", {{"guid", "aa"}, {"ttl", 7}, {"sent", 4}}));
  traces.observe(logged("servent-0", "query_sent", {{"guid", "bb"}, {"ttl", 7}, {"sent", 4}}));
  // A late query_seen of the older query changes nothing; one of a query never seen sent is ignored.
  traces.observe(logged("servent-5", "query_seen", {{"guid", "aa"}, {"hops", 1}, {"forwarded", 3}}));
  traces.observe(logged("servent-5", "query_seen", {{"guid", "cc"}, {"hops", 1}, {"forwarded", 3}}));
  traces.observe(logged("servent-6", "query_seen", {{"guid", "bb"}, {"hops", 1}, {"forwarded", 3}}));
  const QueryTrace* trace = traces.last_of("servent-0");
  ASSERT_NE(trace, nullptr);
  EXPECT_EQ(trace->guid, "bb");
  EXPECT_EQ(trace->reached(), 1u);
  EXPECT_EQ(trace->messages(), 7u);  // 4 sent, 3 forwarded
}

TEST(GnutellaPanelTest, ShowsNeighboursByNameAndTheLastQueryHopByHopIn80By24) {
  DashboardApp app(builtin_panels(), false);
  app.apply(testing::launcher(99, "node_started", "servent-1", "servent"), 0.5);
  app.apply(gnutella_event("servent-1", 99, "listening", {{"listen", "127.0.0.1:7001"}}), 0.5);
  app.apply(testing::status("servent-0", "servent", 100, 0, 0, 3,
                            {{"neighbours", 2},
                             {"degree_target", 4},
                             {"fixed_topology", true},
                             {"neighbour_list", {"127.0.0.1:7001", "127.0.0.1:7009"}},
                             {"queries_sent", 1},
                             {"hits_received", 2},
                             {"in", {{"bye", 0}, {"query", 12}, {"pong", 30}}},
                             {"duplicates", 5},
                             {"shared_files", 10}},
                            "gnutella"),
            1.0);
  flood(app, "aa");

  PanelRegistry panels = builtin_panels();
  const SystemPanel& panel = panels.for_system("gnutella");
  EXPECT_EQ(panel.title(), "Gnutella");
  EXPECT_EQ(panel.key_figure(*app.lab().find("servent-0")).text, "2 nbrs");

  TextCanvas canvas(24, 80);
  app.on_key(keys::kEnter);  // the detail screen of the selected node, servent-0
  app.draw(canvas, 2.0, 1);
  EXPECT_FALSE(canvas.out_of_bounds());
  std::string screen = canvas.text();
  EXPECT_TRUE(canvas.contains("fixed overlay")) << screen;
  // A neighbour the lab knows is named; one it does not is shown by its endpoint.
  EXPECT_TRUE(canvas.contains("2/4  servent-1 127.0.0.1:7009")) << screen;
  EXPECT_TRUE(canvas.contains("In         pong 30 query 12   duplicates dropped 5")) << screen;
  EXPECT_TRUE(canvas.contains("Last query \"blue moon\"  TTL 2")) << screen;
  EXPECT_TRUE(canvas.contains("1    3            3              0           1")) << screen;
  EXPECT_TRUE(canvas.contains("2    6            4              2           1")) << screen;
  EXPECT_TRUE(canvas.contains("reached 7 nodes with 9 messages; 2 hits, the first after 31 ms")) << screen;
}

TEST(GnutellaPanelTest, AServentThatReportedNothingDrawsInATinyArea) {
  LabModel lab;
  lab.apply(testing::launcher(100, "node_started", "servent-9", "servent"), 1.0);
  GnutellaPanel panel;
  TextCanvas canvas(4, 20);
  Area area(canvas);
  panel.draw(area, PanelContext{*lab.find("servent-9"), lab});
  EXPECT_FALSE(canvas.out_of_bounds());
  EXPECT_TRUE(canvas.contains("Gnutella"));
}

}  // namespace
}  // namespace p2p::dashboard
