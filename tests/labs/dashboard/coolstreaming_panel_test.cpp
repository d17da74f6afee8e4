// Tests of the CoolStreaming panel: buffer maps as strips, a peer's view with its partners' strips and the
// mesh around it, a tree peer's parents and children, and the source.
#include "labs/dashboard/coolstreaming_panel.h"

#include <gtest/gtest.h>

#include "labs/dashboard/dashboard_app.h"
#include "labs/dashboard/keymap.h"
#include "tests/labs/dashboard/records.h"
#include "tests/labs/dashboard/text_canvas.h"

namespace p2p::dashboard {
namespace {

using nlohmann::json;
using testing::TextCanvas;

// A node of the lab that listens at 127.0.0.1:PORT and last reported `sys`.
void add_node(LabModel& lab, const std::string& id, const std::string& role, int port, json sys) {
  lab.apply(testing::event(id, role, 100, "listening", {{"listen", "127.0.0.1:" + std::to_string(port)}},
                           "coolstreaming"),
            1.0);
  lab.apply(testing::status(id, role, 101, 0, 0, 0, std::move(sys), "coolstreaming"), 1.0);
}

json peer_sys(json partners, std::string bitmap = "ff0f") {
  return {{"overlay", "mesh"},     {"uploading", true},     {"window_start", 100},  {"window_length", 16},
          {"bitmap", bitmap},      {"play_point", 102},     {"source_newest", 130}, {"partners", partners},
          {"parent", nullptr},     {"children", 0},         {"continuity", 0.975},  {"due", 40},
          {"on_time", 39},         {"missed", 1},           {"startup_ms", 3200},   {"lag_s", 12.5},
          {"video_bytes", 200000}, {"control_bytes", 3000}, {"server_bytes", 0},    {"join_attempts", 2}};
}

TEST(BufferStripTest, MarksHeldMissingAndOutsideTheWindow) {
  // Segments 100-107 held, 108-111 missing, 112-115 held.
  auto map = buffer_map_of(json{{"window_start", 100}, {"bitmap", "ff0f"}}, 16);
  ASSERT_TRUE(map);
  EXPECT_EQ(buffer_strip(*map, 100, 16, 40), "########....####");
  // Drawn over a window 4 segments later, the last 4 cells are past this map's window.
  EXPECT_EQ(buffer_strip(*map, 104, 16, 40), "####....####    ");
  // Two segments a cell: a cell with one held of two shows '+'.
  auto half = buffer_map_of(json{{"window_start", 0}, {"bitmap", "a0"}}, 4);
  ASSERT_TRUE(half);
  EXPECT_EQ(buffer_strip(*half, 0, 4, 2), "++");
}

TEST(BufferStripTest, RefusesMapsThatDoNotFitTheirWindow) {
  EXPECT_FALSE(buffer_map_of(json{{"window_start", 100}, {"bitmap", "zz"}}, 16));
  EXPECT_FALSE(buffer_map_of(json{{"window_start", 100}, {"bitmap", "ff"}}, 16));    // too short
  EXPECT_FALSE(buffer_map_of(json{{"window_start", 100}, {"bitmap", "ffff"}}, 12));  // padding set
  EXPECT_FALSE(buffer_map_of(json{{"window_start", -1}, {"bitmap", "ff"}}, 8));
  EXPECT_FALSE(buffer_map_of(json{{"window_start", 4294967295.0}, {"bitmap", "ff"}}, 8));
  EXPECT_FALSE(buffer_map_of(json{{"bitmap", "ff"}}, 8));
  EXPECT_FALSE(buffer_map_of(json("not an object"), 8));
}

TEST(CoolStreamingPanelTest, ShowsThePeersStripItsPartnersStripsAndTheMeshAround) {
  LabModel lab;
  // peer-1 holds 104-119; peer-2's map is garbled; 127.0.0.1:7999 is no node of the lab.
  add_node(
      lab, "peer-1", "peer", 7001,
      peer_sys(json::array(
                   {{{"peer", "127.0.0.1:7000"}, {"score", 1}, {"window_start", 100}, {"bitmap", "ff0f"}},
                    {{"peer", "127.0.0.1:7002"}, {"score", 2}, {"window_start", 100}, {"bitmap", "ffff"}}}),
               "ffff"));
  add_node(lab, "peer-2", "peer", 7002, peer_sys(json::array()));
  json partners =
      json::array({{{"peer", "127.0.0.1:7001"}, {"score", 3.5}, {"window_start", 104}, {"bitmap", "ffff"}},
                   {{"peer", "127.0.0.1:7002"}, {"score", 0.5}, {"window_start", 100}, {"bitmap", "zz"}},
                   {{"peer", "127.0.0.1:7999"}, {"score", 1}, {"window_start", 90}, {"bitmap", "0000"}}});
  add_node(lab, "peer-0", "peer", 7000, peer_sys(partners));

  CoolStreamingPanel panel;
  EXPECT_EQ(panel.key_figure(*lab.find("peer-0")).text, "0.975");
  TextCanvas canvas(22, 80);
  Area area(canvas);
  panel.draw(area, PanelContext{*lab.find("peer-0"), lab});
  EXPECT_FALSE(canvas.out_of_bounds());
  std::string screen = canvas.text();
  EXPECT_TRUE(canvas.contains("mesh overlay")) << screen;
  EXPECT_TRUE(canvas.contains("0.975  on time 39 / due 40, missed 1   start-up 3.2 s   lag 12.5 s"))
      << screen;
  EXPECT_TRUE(canvas.contains("control 3.00kB (1.5 %)")) << screen;
  EXPECT_TRUE(canvas.contains("Joined      after 2 attempt(s)")) << screen;
  // The peer's own strip, and the play point under segment 102 (third cell).
  int own = canvas.row_of("########....####");
  ASSERT_GE(own, 0) << screen;
  EXPECT_EQ(canvas.line(own).find("peer-0"), 0u);
  EXPECT_EQ(canvas.line(own + 1).find("^ 102"), 12u) << screen;
  // Partners on the same segments: peer-1 has nothing before 104 in its window, then everything.
  int first = canvas.row_of("peer-1    ");
  ASSERT_GE(first, 0) << screen;
  EXPECT_NE(canvas.line(first).find("    ############"), std::string::npos) << screen;
  EXPECT_NE(canvas.line(first).find("score 3.5  c 0.975"), std::string::npos) << screen;
  EXPECT_TRUE(canvas.contains("peer-2    (no readable map)")) << screen;
  EXPECT_TRUE(canvas.contains("127.0.0.")) << screen;  // an unknown partner by its endpoint
  // The mesh two hops out: peer-1's partners other than peer-0.
  EXPECT_TRUE(canvas.contains("peer-0 -- peer-1 -- peer-2")) << screen;
}

TEST(CoolStreamingPanelTest, ADonetWindowOf120SegmentsFitsIn80ColumnsWithThePlayPointOnItsCell) {
  // The paper's window: 120 segments from 1000, the first 60 held; playback at 1060, the first missing one.
  json sys = peer_sys(json::array());
  sys["window_start"] = 1000;
  sys["window_length"] = 120;
  sys["bitmap"] = "fffffffffffffff000000000000000";
  sys["play_point"] = 1060;
  LabModel lab;
  add_node(lab, "peer-0", "peer", 7000, sys);
  TextCanvas canvas(22, 80);
  Area area(canvas);
  CoolStreamingPanel().draw(area, PanelContext{*lab.find("peer-0"), lab});
  EXPECT_FALSE(canvas.out_of_bounds());
  std::string screen = canvas.text();
  // 52 cells of about 2.3 segments: the held half fills the first 26.
  int own = canvas.row_of(std::string(26, '#') + std::string(26, '.'));
  ASSERT_GE(own, 0) << screen;
  EXPECT_EQ(canvas.line(own + 1).find("^ 1060"), 10u + 26u) << screen;
  EXPECT_TRUE(canvas.contains("segments 1000-1119 (2.3 a cell)   # held")) << screen;
  EXPECT_TRUE(canvas.contains("60 held")) << screen;
  EXPECT_TRUE(canvas.contains("(no partner, no parent)")) << screen;
}

TEST(CoolStreamingPanelTest, ATreePeerShowsItsParentsUpToTheSourceAndItsChildren) {
  LabModel lab;
  add_node(lab, "source-0", "source", 7100,
           {{"partners", 3},
            {"children", 2},
            {"video_bytes_sent", 1500000},
            {"refused_joins", 4},
            {"newest", 130}});
  json tree = peer_sys(json::array());
  tree["overlay"] = "tree";
  tree["parent"] = "127.0.0.1:7100";
  add_node(lab, "peer-1", "peer", 7001, tree);
  tree["parent"] = "127.0.0.1:7001";
  tree["children"] = 1;
  tree["uploading"] = false;
  add_node(lab, "peer-3", "peer", 7003, tree);
  tree["parent"] = "127.0.0.1:7003";
  add_node(lab, "peer-4", "peer", 7004, tree);

  CoolStreamingPanel panel;
  TextCanvas canvas(22, 80);
  Area area(canvas);
  panel.draw(area, PanelContext{*lab.find("peer-3"), lab});
  EXPECT_FALSE(canvas.out_of_bounds());
  std::string screen = canvas.text();
  EXPECT_TRUE(canvas.contains("tree overlay")) << screen;
  EXPECT_TRUE(canvas.contains("NOT UPLOADING")) << screen;
  EXPECT_TRUE(canvas.contains("source-0 > peer-1 > peer-3")) << screen;
  EXPECT_TRUE(canvas.contains("children 1  peer-4")) << screen;
  // Its supplier is its parent: peer-1's strip (the same map as its own here) beside its own.
  int parent = canvas.row_of("parent  c 0.975");
  ASSERT_GE(parent, 0) << screen;
  EXPECT_EQ(canvas.line(parent).find("peer-1    ########....####"), 0u) << screen;

  TextCanvas origin(10, 60);
  Area origin_area(origin);
  panel.draw(origin_area, PanelContext{*lab.find("source-0"), lab});
  EXPECT_TRUE(origin.contains("CoolStreaming source")) << origin.text();
  EXPECT_TRUE(origin.contains("3 partners   2 children")) << origin.text();
  EXPECT_TRUE(origin.contains("4 joins")) << origin.text();
  EXPECT_EQ(panel.key_figure(*lab.find("source-0")).text, "newest 130");
}

TEST(CoolStreamingPanelTest, IsTheDashboardsPanelForCoolStreamingAndDrawsANodeThatSaidNothing) {
  DashboardApp app(builtin_panels(), false);
  // A free rider of free-riders.ini: the launcher names the scenario's role, its own records say "peer".
  app.apply(testing::launcher(100, "node_started", "peer-9", "freerider"), 1.0);
  app.apply(testing::status("peer-9", "peer", 101, 0, 0, 0, {{"continuity", nullptr}}, "coolstreaming"), 1.0);
  PanelRegistry panels = builtin_panels();
  EXPECT_EQ(panels.for_system("coolstreaming").title(), "CoolStreaming");
  EXPECT_EQ(panels.for_system("coolstreaming").key_figure(*app.lab().find("peer-9")).text, "-");
  TextCanvas canvas(24, 80);
  app.on_key(keys::kEnter);
  app.draw(canvas, 2.0, 1);
  EXPECT_FALSE(canvas.out_of_bounds());
  EXPECT_TRUE(canvas.contains("(no buffer map reported yet)")) << canvas.text();
  EXPECT_FALSE(canvas.contains("(no partner, no parent)")) << canvas.text();
  TextCanvas tiny(4, 20);
  Area area(tiny);
  CoolStreamingPanel().draw(area, PanelContext{*app.lab().find("peer-9"), app.lab()});
  EXPECT_FALSE(tiny.out_of_bounds());
}

}  // namespace
}  // namespace p2p::dashboard
