// The dashboard on a real lab in a real terminal: tmux runs `p2plab run` of a small p2p-echo lab (the
// launcher, its nodes and its dashboard, as a user starts them); the test types keys with send-keys, reads
// the screen with capture-pane, and checks the node processes by pid (issue 4, point 6).
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "tests/labs/launcher_harness.h"
#include "tests/support/dash_frames.h"
#include "tests/support/tmux_session.h"

namespace p2p::labs::testing {
namespace {

using namespace std::chrono_literals;
using p2p::testing::read_frames;
using p2p::testing::row_of;
using p2p::testing::TmuxSession;

const char* const kNodes[] = {"client-0", "client-1", "client-2", "client-3", "server-0"};

class DashboardLiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(std::system("command -v tmux >/dev/null"), 0) << "the dashboard test needs tmux";
    out_ = dir_.path() + "/run";
    frames_ = dir_.path() + "/frames";
    std::string command = "exec env TERM=screen P2P_DASH_FRAMES=" + frames_ + " " + bin("p2plab") + " run " +
                          source("tests/labs/dashboard/live_lab.ini") + " --out " + out_;
    std::string socket = "p2p-live-" + std::to_string(::getpid()) + "-" +
                         ::testing::UnitTest::GetInstance()->current_test_info()->name();
    tmux_ = std::make_unique<TmuxSession>(socket, command, 120, 40);
    ASSERT_TRUE(tmux_->started());
    launcher_ = tmux_->pid();
    ASSERT_GT(launcher_, 0);
    // Every node up (the clients wait for the server's endpoint), and every node's pid known.
    ASSERT_TRUE(eventually([&] { return screen().find("nodes 5: 5 alive") != std::string::npos; }, 20s))
        << screen();
    ASSERT_TRUE(eventually(
        [&] {
          pids_ = read_pids();
          return pids_.size() == std::size(kNodes);
        },
        5s));
  }

  void TearDown() override {
    // A test that failed half-way: end the launcher (it ends its nodes), then the terminal.
    if (launcher_ > 0 && !gone(launcher_)) {
      ::kill(launcher_, SIGTERM);
      if (!eventually([&] { return gone(launcher_); }, 5s)) ::kill(launcher_, SIGKILL);
    }
    tmux_.reset();
  }

  std::string screen() const { return tmux_->screen(); }
  long frames() const { return read_frames(frames_).frames; }
  // Each node's pid, from the launcher's node_started events.
  std::map<std::string, pid_t> read_pids() const {
    std::map<std::string, pid_t> pids;
    std::istringstream lines(slurp(out_ + "/events.jsonl"));
    for (std::string line; std::getline(lines, line);) {
      auto r = nlohmann::json::parse(line, nullptr, false);
      if (!r.is_object() || r.value("event", "") != "node_started" || !r["data"].is_object()) continue;
      pids[r["data"].value("node", "")] = r["data"].value("pid", 0);
    }
    return pids;
  }

  TempDir dir_;
  std::string out_, frames_;
  std::unique_ptr<TmuxSession> tmux_;
  pid_t launcher_ = -1;
  std::map<std::string, pid_t> pids_;
};

TEST_F(DashboardLiveTest, TheTableShowsOneRowPerNode) {
  std::string shown = screen();
  for (const char* id : kNodes) {
    std::string row = row_of(shown, id);
    EXPECT_NE(row.find("alive"), std::string::npos) << id << " in\n" << shown;
    // Exactly one row: the id opens no other line.
    EXPECT_EQ(shown.find("\n" + std::string(id) + " ", shown.find(row) + row.size()), std::string::npos)
        << id;
  }
}

TEST_F(DashboardLiveTest, KillKeyTurnsTheNodeDeadWithinTwoSeconds) {
  // Rows by id: client-0, client-1, client-2, ... `g` selects the first row, two steps down select client-2;
  // `x` is kill -9 (`k` is "up", as in vi). The `g` matters: the cursor follows the node it is on, and when
  // the first frame drew only server-0 (the clients wait for its endpoint), it stays on server-0, which
  // sorts last once the clients appear.
  tmux_->keys("g j j x");
  auto pressed = std::chrono::steady_clock::now();
  ASSERT_TRUE(eventually([&] { return row_of(screen(), "client-2").find("dead") != std::string::npos; }, 2s))
      << screen();
  EXPECT_LT(std::chrono::steady_clock::now() - pressed, 2s);
  // The process itself is gone, and only it.
  EXPECT_TRUE(eventually([&] { return gone(pids_.at("client-2")); }, 2s));
  EXPECT_FALSE(gone(pids_.at("client-1")));
  EXPECT_NE(row_of(screen(), "client-1").find("alive"), std::string::npos) << screen();
}

TEST_F(DashboardLiveTest, ResizingTo80x24AndBackKeepsItDrawing) {
  long before = frames();
  ASSERT_TRUE(tmux_->resize(80, 24));
  EXPECT_TRUE(eventually([&] { return frames() > before + 2; }, 5s));
  std::string small = screen();
  EXPECT_NE(row_of(small, "server-0"), "") << small;
  EXPECT_NE(small.find("nodes 5: 5 alive"), std::string::npos) << small;

  long resized = frames();
  ASSERT_TRUE(tmux_->resize(120, 40));
  EXPECT_TRUE(eventually([&] { return frames() > resized + 2; }, 5s));
  EXPECT_NE(row_of(screen(), "client-3"), "") << screen();
  EXPECT_FALSE(gone(launcher_));
}

TEST_F(DashboardLiveTest, QuitEndsTheLabAndLeavesNoProcess) {
  tmux_->keys("q");
  // The launcher stops its nodes (SIGTERM, then SIGKILL after 2 s) and writes the summary before it leaves.
  EXPECT_TRUE(eventually([&] { return gone(launcher_); }, 15s));
  for (const auto& [id, pid] : pids_) EXPECT_TRUE(gone(pid)) << id << " (pid " << pid << ")";
  EXPECT_TRUE(eventually([&] { return !tmux_->running(); }, 5s));
  auto summary = json_file(out_ + "/summary.json");
  ASSERT_TRUE(summary);
  EXPECT_EQ((*summary)["ended_by"], "quit");
  EXPECT_EQ((*summary)["nodes_started"], 5);
}

}  // namespace
}  // namespace p2p::labs::testing
