// Tests of the drawing interface (clipping, meters, sparklines, formats) and of the Napster and generic
// panels.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "labs/dashboard/format.h"
#include "labs/dashboard/generic_panel.h"
#include "labs/dashboard/napster_panel.h"
#include "tests/labs/dashboard/records.h"
#include "tests/labs/dashboard/text_canvas.h"

namespace p2p::dashboard {
namespace {

using testing::event;
using testing::status;
using testing::TextCanvas;

TEST(AreaTest, ClipsEverythingToItsRectangle) {
  TextCanvas canvas(5, 20);
  Area area = Area(canvas).sub(1, 2, 2, 6);
  area.text(0, 0, "abcdefghij");  // runs past the right edge
  area.text(1, -2, "xyz");        // starts left of the area
  area.text(2, 0, "below");       // under the area
  area.text(-1, 0, "above");

  EXPECT_FALSE(canvas.out_of_bounds());
  EXPECT_EQ(canvas.line(1), "  abcdef            ");
  EXPECT_EQ(canvas.line(2), "  z                 ");
  EXPECT_EQ(canvas.line(3), std::string(20, ' '));
  EXPECT_EQ(canvas.line(0), std::string(20, ' '));
}

TEST(AreaTest, LinePadsTheWholeRowInItsStyle) {
  TextCanvas canvas(2, 10);
  Area area(canvas);
  area.line(0, "title", Style::Header);
  EXPECT_EQ(canvas.line(0), "title     ");
  EXPECT_EQ(canvas.style_at(0, 9), Style::Header);
}

TEST(AreaTest, BarFillsInProportion) {
  TextCanvas canvas(1, 12);
  Area area(canvas);
  area.bar(0, 0, 12, 0.5);
  EXPECT_EQ(canvas.line(0), "[#####     ]");
  area.bar(0, 0, 12, 7.0);  // clamped
  EXPECT_EQ(canvas.line(0), "[##########]");
}

TEST(SparklineTest, ScalesToTheHighestValueWithTheNewestAtTheRight) {
  EXPECT_EQ(sparkline({0, 1, 9, 18}, 4), " .+@");
  // A short history is padded on the left; a long one shows its newest values.
  EXPECT_EQ(sparkline({5, 10}, 5), "   +@");
  EXPECT_EQ(sparkline({100, 1, 1, 1}, 2), "@@");
  EXPECT_EQ(sparkline({0, 0}, 3), "   ");
  EXPECT_EQ(sparkline({}, 3), "   ");
}

TEST(FormatTest, RatesAgesAndEventDataFitNarrowColumns) {
  EXPECT_EQ(format_rate(0), "0");
  EXPECT_EQ(format_rate(950), "950");
  EXPECT_EQ(format_rate(12500), "12.5k");
  EXPECT_EQ(format_rate(3'400'000), "3.40M");
  EXPECT_EQ(format_amount(5.6e9, "B"), "5.60GB");
  EXPECT_EQ(format_age(4.2), "4s");
  EXPECT_EQ(format_age(720), "12m");
  EXPECT_EQ(format_number(std::nullopt), "-");
  EXPECT_EQ(summarize({{"node", "peer-3"}, {"ok", true}}, 100), "node=peer-3 ok=true");
  EXPECT_EQ(summarize({{"reason", "a long reason"}}, 10), "reason=a l");
}

TEST(FormatTest, AClockTimeNoClockShowsIsUnknown) {
  // Found by tests/fuzz/run-long: a telemetry record stamped 1.8e48 made format_clock convert it to time_t,
  // which is undefined (UBSan stopped the dashboard's fuzz target).
  for (double t : {1.79662e48, -1.0, std::nan(""), std::numeric_limits<double>::infinity()}) {
    EXPECT_EQ(format_clock(t), "--:--:--") << t;
  }
  EXPECT_EQ(format_clock(0).size(), 8u);
}

TEST(PanelRegistryTest, GivesEachSystemItsPanelAndTheRestTheGenericOne) {
  PanelRegistry panels = builtin_panels();
  EXPECT_EQ(panels.for_system("napster").title(), "Napster");
  EXPECT_EQ(panels.for_system("kazaa").title(), "KaZaA");
  EXPECT_EQ(panels.for_system("chord").title(), "Status");  // a system without a panel of its own

  panels.add("chord", std::make_unique<NapsterPanel>());  // any panel registers the same way
  EXPECT_EQ(panels.for_system("chord").title(), "Napster");
}

TEST(NapsterPanelTest, KeyFigureIsTheIndexSizeOfAServerAndTheServerStateOfAPeer) {
  LabModel lab;
  lab.apply(status("server-0", "server", 100, 0, 0, 0, {{"files", 1234}}), 1.0);
  lab.apply(status("peer-1", "peer", 100, 0, 0, 0, {{"server_state", "online"}}), 1.0);
  lab.apply(status("peer-2", "peer", 100, 0, 0, 0, {{"server_state", "connecting"}}), 1.0);
  NapsterPanel panel;

  KeyFigure server = panel.key_figure(*lab.find("server-0"));
  EXPECT_EQ(server.text, "1.23k files");
  EXPECT_EQ(server.value, 1234);
  EXPECT_EQ(panel.key_figure(*lab.find("peer-1")).text, "online");
  EXPECT_GT(panel.key_figure(*lab.find("peer-1")).value, panel.key_figure(*lab.find("peer-2")).value);
}

TEST(NapsterPanelTest, ServerShowsItsIndexSearchRateAndTheQueriesPeersReport) {
  LabModel lab;
  nlohmann::json sys = {{"users", 3},     {"files", 120},  {"bytes_shared", 5'000'000},
                        {"searches", 10}, {"results", 40}, {"rejected", {{"bad_frame", 2}}}};
  lab.apply(status("server-0", "server", 100, 0, 0, 3, sys), 1.0);
  sys["searches"] = 30;
  lab.apply(status("server-0", "server", 102, 0, 0, 3, sys), 3.0);
  lab.apply(event("peer-1", "peer", 102.5, "search_done",
                  {{"ok", true}, {"words", "yesterday beatles"}, {"results", 7}, {"latency_ms", 12}}),
            3.5);
  lab.apply(event("server-0", "server", 102.6, "login", {{"nick", "peer-4"}, {"data_port", 6699}}), 3.6);

  TextCanvas canvas(24, 80);
  Area area(canvas);
  NapsterPanel().draw(area, PanelContext{*lab.find("server-0"), lab});

  EXPECT_FALSE(canvas.out_of_bounds());
  EXPECT_TRUE(canvas.contains("120 files")) << canvas.text();
  EXPECT_TRUE(canvas.contains("from 3 users"));
  EXPECT_TRUE(canvas.contains("10.0/s"));  // (30 - 10) searches in 2 s
  EXPECT_TRUE(canvas.contains("1.3 results/search"));
  EXPECT_TRUE(canvas.contains("bad_frame=2"));
  EXPECT_TRUE(canvas.contains("serving"));
  EXPECT_TRUE(canvas.contains("peer-1     \"yesterday beatles\"  7 results  12 ms"));
  EXPECT_TRUE(canvas.contains("login     data_port=6699 nick=peer-4")) << canvas.text();
}

TEST(NapsterPanelTest, DeadServerSaysPeersCannotSearch) {
  LabModel lab;
  lab.apply(status("server-0", "server", 100), 1.0);
  lab.apply(testing::launcher(101, "node_killed", "server-0", "server"), 2.0);
  TextCanvas canvas(10, 80);
  Area area(canvas);
  NapsterPanel().draw(area, PanelContext{*lab.find("server-0"), lab});
  int row = canvas.row_of("DOWN");
  ASSERT_GE(row, 0);
  EXPECT_EQ(canvas.style_at(row, static_cast<int>(canvas.line(row).find("DOWN"))), Style::Bad);
}

TEST(NapsterPanelTest, PeerShowsServerStateSearchesAndTransfers) {
  LabModel lab;
  lab.apply(status("peer-1", "peer", 100, 0, 0, 1,
                   {{"server_state", "logging_in"},
                    {"searches_issued", 5},
                    {"searches_failed", 1},
                    {"downloads_corrupt", 1}}),
            1.0);
  lab.apply(
      event("peer-1", "peer", 100.1, "server_state", {{"state", "logging_in"}, {"reason", "connected"}}),
      1.1);
  lab.apply(
      event("peer-1", "peer", 100.2, "search_done", {{"ok", false}, {"words", "x"}, {"reason", "timeout"}}),
      1.2);
  lab.apply(event("peer-1", "peer", 100.3, "download_done",
                  {{"ok", false},
                   {"bytes", 2048},
                   {"md5_ok", false},
                   {"file", "song.mp3"},
                   {"from", "peer-7"},
                   {"reason", "md5 mismatch"}}),
            1.3);

  TextCanvas canvas(30, 100);
  Area area(canvas);
  NapsterPanel().draw(area, PanelContext{*lab.find("peer-1"), lab});

  EXPECT_TRUE(canvas.contains("logging_in")) << canvas.text();
  EXPECT_EQ(canvas.style_at(canvas.row_of("Server"), 11), Style::Warn);  // not online yet
  EXPECT_TRUE(canvas.contains("issued 5"));
  EXPECT_TRUE(canvas.contains("corrupt 1"));
  EXPECT_TRUE(canvas.contains("\"x\"  failed: timeout"));
  EXPECT_TRUE(canvas.contains("logging_in  (connected)"));
  EXPECT_TRUE(canvas.contains("down song.mp3 from peer-7  2.05kB  failed: md5 mismatch  MD5 MISMATCH"));
}

TEST(NapsterPanelTest, ANodeThatReportedNothingDrawsDashesInATinyArea) {
  LabModel lab;
  lab.apply(testing::launcher(100, "node_started", "peer-9"), 1.0);
  TextCanvas canvas(4, 20);
  Area area(canvas);
  NapsterPanel().draw(area, PanelContext{*lab.find("peer-9"), lab});
  EXPECT_FALSE(canvas.out_of_bounds());
  EXPECT_TRUE(canvas.contains("Napster peer"));
}

TEST(GenericPanelTest, ListsEveryStatusFieldFlattenedAndTheNodesEvents) {
  LabModel lab;
  lab.apply(status("node-1", "ultrapeer", 100, 0, 0, 0,
                   {{"leaves", 12}, {"closes", {{"timeout", 3}}}, {"mode", "ultra"}}, "gnutella"),
            1.0);
  lab.apply(event("node-1", "ultrapeer", 100.5, "query_hit", {{"hits", 4}}, "gnutella"), 1.5);
  GenericPanel panel;

  EXPECT_EQ(panel.key_figure(*lab.find("node-1")).text, "leaves=12");
  TextCanvas canvas(20, 80);
  Area area(canvas);
  panel.draw(area, PanelContext{*lab.find("node-1"), lab});
  EXPECT_TRUE(canvas.contains("leaves          12")) << canvas.text();
  EXPECT_TRUE(canvas.contains("closes.timeout  3"));
  EXPECT_TRUE(canvas.contains("mode            ultra"));
  EXPECT_TRUE(canvas.contains("query_hit      hits=4"));
}

}  // namespace
}  // namespace p2p::dashboard
