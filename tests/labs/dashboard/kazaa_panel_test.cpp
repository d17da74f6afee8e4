// Tests of the KaZaA panel: searches matched across the lab's events, and the two-tier view of a node.
#include "labs/dashboard/kazaa_panel.h"

#include <gtest/gtest.h>

#include "labs/dashboard/dashboard_app.h"
#include "labs/dashboard/keymap.h"
#include "tests/labs/dashboard/records.h"
#include "tests/labs/dashboard/text_canvas.h"

namespace p2p::dashboard {
namespace {

using testing::TextCanvas;

nlohmann::json kazaa_event(const std::string& node, double t, std::string_view name, nlohmann::json data) {
  return testing::event(node, "ordinary", t, name, std::move(data), "kazaa");
}
nlohmann::json kazaa_status(const std::string& node, double t, nlohmann::json sys) {
  return testing::status(node, "ordinary", t, 0, 0, 1, std::move(sys), "kazaa");
}
LoggedEvent logged(const std::string& node, std::string_view name, nlohmann::json data) {
  return LoggedEvent{100, node, node, "kazaa", std::string(name), std::move(data)};
}

// A lab of 3 supernodes listening at ports 7000-7002 with 2, 5 and 1 children; ord-0 is attached to super-1
// (re-attached after a loss), ord-9 to none.
void two_tiers(DashboardApp& app) {
  int children[] = {2, 5, 1};
  for (int i = 0; i < 3; ++i) {
    std::string id = "super-" + std::to_string(i);
    app.apply(kazaa_event(id, 99, "listening", {{"listen", "127.0.0.1:700" + std::to_string(i)}}), 0.5);
    app.apply(kazaa_status(id, 100,
                           {{"role", "super"},
                            {"supernode", nullptr},
                            {"children", children[i]},
                            {"files_indexed", children[i] * 10},
                            {"sn_neighbours", 2},
                            {"load_percent", children[i] * 10},
                            {"queries", 4},
                            {"rejected", 0}}),
              1.0);
  }
  app.apply(kazaa_event("ord-0", 99.5, "attached",
                        {{"supernode", "127.0.0.1:7001"},
                         {"rtt_ms", 22},
                         {"join_ms", 1450},
                         {"reattach", true},
                         {"probes", 3}}),
            1.0);
  app.apply(
      kazaa_status("ord-0", 100, {{"role", "ordinary"}, {"supernode", "127.0.0.1:7001"}, {"queries", 1}}),
      1.0);
  app.apply(kazaa_status("ord-9", 100, {{"role", "ordinary"}, {"supernode", nullptr}, {"queries", 0}}), 1.0);
}

// ord-0 searches "blue moon"; super-1 finds 3 itself, asks 6 more supernodes in 1 round, 12 matches in all
// for 16 messages; 12 results reach ord-0 after 85 ms.
void search(DashboardApp& app) {
  app.apply(kazaa_event("ord-0", 101, "query_sent", {{"id", "127.0.0.1:7100/7"}, {"words", "blue moon"}}),
            1.1);
  app.apply(kazaa_event("super-1", 101.05, "search_done",
                        {{"id", "127.0.0.1:7100/7"},
                         {"local", 3},
                         {"matches", 12},
                         {"supernodes_contacted", 6},
                         {"rounds", 1},
                         {"messages", 16}}),
            1.1);
  app.apply(kazaa_event("ord-0", 101.09, "query_done",
                        {{"id", "127.0.0.1:7100/7"}, {"results", 12}, {"latency_ms", 85}, {"ok", true}}),
            1.1);
}

TEST(KazaaSearchesTest, MatchTheSupernodesSearchToTheQueryByItsId) {
  KazaaSearches searches;
  searches.observe(logged("ord-0", "query_sent", {{"id", "q1"}, {"words", "a b"}}));
  searches.observe(logged("ord-0", "query_sent", {{"id", "q2"}, {"words", "c"}}));
  // A late search_done of the older query does not touch the newer one; a query_done from another node
  // with the same id is not the originator's.
  searches.observe(logged("super-0", "search_done", {{"id", "q1"}, {"matches", 9}, {"messages", 30}}));
  searches.observe(logged("super-1", "search_done", {{"id", "q2"}, {"matches", 4}, {"messages", 11}}));
  searches.observe(logged("ord-5", "query_done", {{"id", "q2"}, {"results", 99}}));
  searches.observe(logged("ord-0", "query_done", {{"id", "q2"}, {"results", 4}, {"latency_ms", 40}}));
  const KazaaSearch* sent = searches.last_sent_by("ord-0");
  ASSERT_NE(sent, nullptr);
  EXPECT_EQ(sent->id, "q2");
  ASSERT_TRUE(sent->search);
  EXPECT_EQ(sent->search->supernode, "super-1");
  EXPECT_EQ(sent->search->messages, 11);
  EXPECT_EQ(sent->results, 4);
  EXPECT_EQ(sent->latency_ms, 40);
  // Each supernode keeps the last search it drove, even one whose query_sent was never seen.
  ASSERT_NE(searches.last_driven_by("super-0"), nullptr);
  EXPECT_EQ(searches.last_driven_by("super-0")->search->matches, 9);
  EXPECT_EQ(searches.last_driven_by("super-0")->origin, "");
  EXPECT_EQ(searches.last_driven_by("super-1")->origin, "ord-0");
  EXPECT_EQ(searches.last_sent_by("super-0"), nullptr);
}

TEST(KazaaPanelTest, AnOrdinaryNodeShowsItsPathToItsSupernodeAndItsLastQueryIn80By24) {
  DashboardApp app(builtin_panels(), false);
  two_tiers(app);
  search(app);
  PanelRegistry panels = builtin_panels();
  const SystemPanel& panel = panels.for_system("kazaa");
  EXPECT_EQ(panel.title(), "KaZaA");
  EXPECT_EQ(panel.key_figure(*app.lab().find("super-1")).text, "SN 5 ch");
  EXPECT_EQ(panel.key_figure(*app.lab().find("ord-0")).text, "child");
  EXPECT_EQ(panel.key_figure(*app.lab().find("ord-9")).text, "orphan");

  KazaaPanel kazaa;
  for (std::size_t i = 0; i < app.lab().events().size(); ++i) kazaa.observe(app.lab().events()[i]);
  TextCanvas canvas(19, 78);  // the detail screen's panel area in an 80 x 24 terminal
  Area area(canvas);
  kazaa.draw(area, PanelContext{*app.lab().find("ord-0"), app.lab()});
  EXPECT_FALSE(canvas.out_of_bounds());
  std::string screen = canvas.text();
  EXPECT_TRUE(canvas.contains("KaZaA ordinary node")) << screen;
  EXPECT_TRUE(canvas.contains("Supernode  super-1   rtt 22 ms of 3 probed, joined in 1450 ms (re-attach)"))
      << screen;
  EXPECT_TRUE(canvas.contains("Two tiers  3 supernodes, 2 ordinary, 1 without a supernode")) << screen;
  // Busiest first; ord-0's supernode marked.
  int busiest = canvas.row_of("super-1     5 children");
  ASSERT_GE(busiest, 0) << screen;
  EXPECT_EQ(canvas.line(busiest)[0], '>') << screen;
  EXPECT_EQ(canvas.row_of("super-0     2 children"), busiest + 1) << screen;
  EXPECT_EQ(canvas.row_of("super-2     1 children"), busiest + 2) << screen;
  EXPECT_TRUE(canvas.contains("Path       ord-0 -> super-1 (5 children)")) << screen;
  EXPECT_TRUE(canvas.contains("Last query \"blue moon\"")) << screen;
  EXPECT_TRUE(canvas.contains("ord-0 -> super-1: 3 matches of its own, asked 6 supernodes in 1 round"))
      << screen;
  EXPECT_TRUE(canvas.contains("12 matches for 16 messages; 12 results reached ord-0 after 85 ms")) << screen;
}

TEST(KazaaPanelTest, ASupernodeShowsItsChildrenAndTheSearchItDroveThroughTheDashboard) {
  DashboardApp app(builtin_panels(), false);
  two_tiers(app);
  search(app);
  // The detail screen of super-1: the table is sorted by id, so it is the 4th row (ord-0, ord-9, super-0).
  for (int i = 0; i < 3; ++i) app.on_key(keys::kDown);
  app.on_key(keys::kEnter);
  TextCanvas canvas(24, 80);
  app.draw(canvas, 2.0, 1);
  EXPECT_FALSE(canvas.out_of_bounds());
  std::string screen = canvas.text();
  EXPECT_TRUE(canvas.contains("KaZaA supernode")) << screen;
  EXPECT_TRUE(canvas.contains("Children   5   files indexed 50   SN neighbours 2   load 50 %")) << screen;
  EXPECT_TRUE(canvas.contains("super-1 is a supernode")) << screen;
  EXPECT_TRUE(canvas.contains("ord-0 -> super-1: 3 matches of its own")) << screen;
}

TEST(KazaaPanelTest, AManySupernodeTreeAndAnOrphanFitATinyArea) {
  LabModel lab;
  for (int i = 0; i < 30; ++i) {
    lab.apply(kazaa_status("super-" + std::to_string(i), 100, {{"role", "super"}, {"children", i}}), 1.0);
  }
  lab.apply(kazaa_status("ord-9", 100, {{"role", "ordinary"}, {"supernode", nullptr}}), 1.0);
  KazaaPanel panel;
  TextCanvas canvas(14, 60);
  Area area(canvas);
  panel.draw(area, PanelContext{*lab.find("ord-9"), lab});
  EXPECT_FALSE(canvas.out_of_bounds());
  std::string screen = canvas.text();
  EXPECT_TRUE(canvas.contains("none: looking for one")) << screen;
  // 4 rows for the tree: the 3 busiest, then the rest counted.
  EXPECT_TRUE(canvas.contains("super-29")) << screen;
  EXPECT_TRUE(canvas.contains("super-27")) << screen;
  EXPECT_FALSE(canvas.contains("super-26")) << screen;
  EXPECT_TRUE(canvas.contains("... and 27 more")) << screen;
  EXPECT_TRUE(canvas.contains("ord-9 -> (no supernode)")) << screen;
  EXPECT_TRUE(canvas.contains("(none seen yet)")) << screen;

  TextCanvas tiny(3, 20);
  Area small(tiny);
  panel.draw(small, PanelContext{*lab.find("ord-9"), lab});
  EXPECT_FALSE(tiny.out_of_bounds());
}

}  // namespace
}  // namespace p2p::dashboard
