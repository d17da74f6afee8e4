// Tests of the dashboard without a terminal: keys become launcher commands, screens draw at any size.
#include "labs/dashboard/dashboard_app.h"

#include <gtest/gtest.h>

#include <chrono>

#include "tests/labs/dashboard/records.h"
#include "tests/labs/dashboard/text_canvas.h"

namespace p2p::dashboard {
namespace {

using testing::event;
using testing::launcher;
using testing::status;
using testing::TextCanvas;

class DashboardAppTest : public ::testing::Test {
 protected:
  // A Napster lab: one server and four peers, all online.
  void SetUp() override {
    app_.apply(status("server-0", "server", 100, 4000, 8000, 4, {{"files", 200}}), 1.0);
    for (int i = 1; i <= 4; ++i) {
      app_.apply(status("peer-" + std::to_string(i), "peer", 100, 1000, 500, 1, {{"server_state", "online"}}),
                 1.0);
    }
  }
  std::optional<nlohmann::json> press(int key) { return app_.on_key(key); }
  TextCanvas draw(int rows, int cols) {
    TextCanvas canvas(rows, cols);
    app_.draw(canvas, 2.0, ++frame_);
    EXPECT_FALSE(canvas.out_of_bounds());
    return canvas;
  }

  DashboardApp app_{builtin_panels(), /*owns_lab=*/true};
  std::uint64_t frame_ = 0;
};

TEST_F(DashboardAppTest, KillKeyAsksTheLauncherToKillTheSelectedNode) {
  // Rows by id: peer-1..peer-4, server-0. Move down twice to peer-3.
  EXPECT_FALSE(press('j'));
  EXPECT_FALSE(press(keys::kDown));
  EXPECT_EQ(press('x'), (nlohmann::json{{"cmd", "kill"}, {"node", "peer-3"}}));
  EXPECT_EQ(press('K'), (nlohmann::json{{"cmd", "kill"}, {"node", "peer-3"}}));
}

TEST_F(DashboardAppTest, LowercaseKMovesUpAndKillsNothing) {
  press(keys::kDown);
  press(keys::kDown);
  EXPECT_FALSE(press('k'));
  EXPECT_EQ(app_.table().selected()->id, "peer-2");
  EXPECT_FALSE(press(keys::kUp));
  EXPECT_EQ(app_.table().selected()->id, "peer-1");
}

TEST_F(DashboardAppTest, LeaveRestartSpawnAndFlashCrowdBecomeLauncherCommands) {
  press(keys::kEnd);  // server-0
  EXPECT_EQ(press('l'), (nlohmann::json{{"cmd", "leave"}, {"node", "server-0"}}));
  EXPECT_EQ(press('r'), (nlohmann::json{{"cmd", "restart"}, {"node", "server-0"}}));
  // `+` spawns one more of the selected node's role; `f` ten of the most numerous role (peers, not servers).
  EXPECT_EQ(press('+'), (nlohmann::json{{"cmd", "spawn"}, {"role", "server"}, {"count", 1}}));
  EXPECT_EQ(press('f'), (nlohmann::json{{"cmd", "spawn"}, {"role", "peer"}, {"count", 10}}));
}

TEST_F(DashboardAppTest, QuitEndsTheLabOnlyWhenTheDashboardOwnsIt) {
  EXPECT_EQ(press('q'), (nlohmann::json{{"cmd", "quit"}}));
  EXPECT_TRUE(app_.quitting());

  DashboardApp attached(builtin_panels(), /*owns_lab=*/false);
  EXPECT_FALSE(attached.on_key('q'));
  EXPECT_TRUE(attached.quitting());
}

TEST_F(DashboardAppTest, EnterOpensTheSelectedNodesPanelAndEscGoesBack) {
  press(keys::kEnd);
  press(keys::kEnter);
  EXPECT_EQ(app_.screen(), Screen::Detail);
  TextCanvas detail = draw(24, 80);
  EXPECT_TRUE(detail.contains("server-0  napster server   [Napster]")) << detail.text();
  EXPECT_TRUE(detail.contains("Napster index server"));
  EXPECT_TRUE(detail.contains("200 files"));
  // In the detail view j/k walk to the next node's panel.
  press('k');
  EXPECT_TRUE(draw(24, 80).contains("peer-4  napster peer"));
  press(keys::kEscape);
  EXPECT_EQ(app_.screen(), Screen::Overview);
  press(keys::kEnter);
  press(keys::kBackspace);
  EXPECT_EQ(app_.screen(), Screen::Overview);
}

TEST_F(DashboardAppTest, HelpListsTheBindingsAndAnyKeyButQuitClosesIt) {
  press('?');
  TextCanvas help = draw(24, 80);
  EXPECT_TRUE(help.contains("x / K             kill -9 the selected node")) << help.text();
  EXPECT_TRUE(help.contains("Up / k"));
  EXPECT_TRUE(help.contains("q                 quit"));
  EXPECT_FALSE(press('x'));  // closes the help; kills nothing
  EXPECT_EQ(app_.screen(), Screen::Overview);
  press('?');
  EXPECT_TRUE(press('q'));
  EXPECT_TRUE(app_.quitting());
}

TEST_F(DashboardAppTest, NodeCommandsNeedASelectedNode) {
  DashboardApp empty(builtin_panels(), false);
  EXPECT_FALSE(empty.on_key('x'));
  EXPECT_FALSE(empty.on_key('f'));
  TextCanvas canvas(24, 80);
  empty.draw(canvas, 0, 1);
  EXPECT_TRUE(canvas.contains("no node selected"));
  EXPECT_TRUE(canvas.contains("waiting for telemetry"));
}

TEST_F(DashboardAppTest, TheLaunchersAnswerShowsInTheStatusBar) {
  nlohmann::json kill = {{"cmd", "kill"}, {"node", "peer-1"}};
  app_.on_reply(kill, nlohmann::json{{"ok", false}, {"error", "peer-1 is already dead"}});
  TextCanvas refused = draw(24, 80);
  EXPECT_TRUE(refused.line(23).find("kill peer-1 refused: peer-1 is already dead") != std::string::npos);
  EXPECT_EQ(refused.style_at(23, 0), Style::Bad);

  app_.on_reply(kill, Expected<nlohmann::json>(make_error("the launcher did not answer")));
  EXPECT_TRUE(draw(24, 80).contains("kill peer-1: the launcher did not answer"));

  app_.on_reply({{"cmd", "nodes"}}, nlohmann::json{{"ok", true}, {"nodes", {"peer-77"}}});
  EXPECT_NE(app_.lab().find("peer-77"), nullptr);
}

TEST_F(DashboardAppTest, OverviewAt80x24ShowsOneRowPerNodeRatesEventsAndTheFrame) {
  app_.apply(launcher(101, "node_killed", "peer-2"), 1.5);
  app_.apply(event("peer-1", "peer", 101, "search_done", {{"ok", true}, {"words", "abba"}}), 1.6);
  app_.tick(1.0);
  app_.tick(2.0);
  TextCanvas screen = draw(24, 80);

  EXPECT_TRUE(screen.line(0).find("nodes 5: 4 alive 1 dead 0 left") != std::string::npos) << screen.text();
  EXPECT_TRUE(screen.contains("up    7.00kbps")) << screen.text();  // 4000 + 3 x 1000: peer-2 is dead
  EXPECT_TRUE(screen.contains("index/state"));
  for (const char* id : {"peer-1", "peer-2", "peer-3", "peer-4", "server-0"}) {
    EXPECT_GE(screen.row_of(std::string(id) + " "), 0) << id;
  }
  int dead = screen.row_of("peer-2 ");
  EXPECT_NE(screen.line(dead).find("dead"), std::string::npos);
  EXPECT_TRUE(screen.contains("200 files"));
  EXPECT_TRUE(screen.contains("node_killed    node=peer-2 role=peer"));
  EXPECT_TRUE(screen.contains("search_done    ok=true words=abba"));
  EXPECT_NE(screen.line(23).find("frame 1"), std::string::npos);
  // The selected row (the first) is highlighted across the whole line.
  EXPECT_EQ(screen.style_at(screen.row_of("peer-1 "), 79), Style::Selected);
}

TEST_F(DashboardAppTest, ALabAcrossHostsShowsEachNodesHostInItsOwnColumn) {
  // One machine: no host column, the header as it always was.
  EXPECT_EQ(draw(24, 80).row_of("node         host "), -1);
  // The launcher's node_started names the host of a node in a lab across hosts.
  app_.apply(telemetry::make_event({"launcher", "launcher", "launcher"}, 101, "node_started",
                                   {{"node", "server-0"}, {"role", "server"}, {"host", "pc02"}}),
             1.5);
  TextCanvas screen = draw(24, 80);
  int header = screen.row_of("node         host     role");
  ASSERT_GE(header, 0) << screen.text();
  EXPECT_NE(screen.line(screen.row_of("server-0 ")).find("server-0     pc02     server   alive"),
            std::string::npos)
      << screen.text();
  EXPECT_NE(screen.line(screen.row_of("peer-1 ")).find("peer-1                peer     alive"),
            std::string::npos)
      << screen.text();
}

TEST_F(DashboardAppTest, TheTitleBarSaysWhenTheRunHasEnded) {
  app_.apply(telemetry::make_event({"launcher", "launcher", "launcher"}, 200, "lab_ended",
                                   {{"message", "the run has ended; press q to leave the dashboard"}}),
             3.0);
  TextCanvas screen = draw(24, 80);
  EXPECT_NE(screen.line(0).find("the run has ended; press q"), std::string::npos) << screen.text();
  EXPECT_EQ(screen.style_at(0, 0), Style::Bad);
}

TEST_F(DashboardAppTest, EveryScreenDrawsInsideAnyTerminalSize) {
  for (Screen target : {Screen::Overview, Screen::Detail, Screen::Help}) {
    if (target == Screen::Detail) press(keys::kEnter);
    if (target == Screen::Help) press('?');
    for (auto [rows, cols] : {std::pair{1, 1}, {3, 10}, {24, 80}, {40, 120}, {60, 200}}) {
      TextCanvas canvas(rows, cols);
      app_.draw(canvas, 2.0, 1);
      EXPECT_FALSE(canvas.out_of_bounds()) << rows << "x" << cols;
    }
  }
}

TEST(DashboardScaleTest, FiveHundredNodesDrawWellWithinARefresh) {
  DashboardApp app(builtin_panels(), false);
  for (int i = 0; i < 500; ++i) {
    app.apply(status("peer-" + std::to_string(i), "peer", 100, i * 10.0, 0, 3, {{"server_state", "online"}}),
              1.0);
  }
  app.on_key(keys::kEnd);
  auto start = std::chrono::steady_clock::now();
  TextCanvas canvas(40, 120);
  for (int frame = 1; frame <= 20; ++frame) app.draw(canvas, 2.0, static_cast<std::uint64_t>(frame));
  double per_frame = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / 20;
  EXPECT_LT(per_frame, 0.1);
  EXPECT_TRUE(canvas.contains("peer-499"));  // scrolled to the selection
  EXPECT_TRUE(canvas.contains("/500"));
}

}  // namespace
}  // namespace p2p::dashboard
