// The dashboard in a real terminal: tmux runs the fake lab (a launcher stand-in plus the dashboard), the test
// types keys with send-keys and reads the screen with capture-pane (issue 4, point 6).
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include "tests/support/dash_frames.h"
#include "tests/support/tmux_session.h"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;
using p2p::testing::read_frames;
using p2p::testing::row_of;
using p2p::testing::TmuxSession;

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Polls `condition` every 50 ms for at most `limit`.
bool eventually(const std::function<bool()>& condition, Clock::duration limit) {
  auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return condition();
}

class DashboardTmuxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bin = std::getenv("P2P_BIN");
    ASSERT_NE(bin, nullptr) << "P2P_BIN names the build's bin folder";
    ASSERT_EQ(std::system("command -v tmux >/dev/null"), 0) << "the dashboard test needs tmux";
    std::string socket = "p2p-dash-" + std::to_string(getpid()) + "-" +
                         ::testing::UnitTest::GetInstance()->current_test_info()->name();
    dir_ = fs::temp_directory_path() / socket;
    fs::create_directories(dir_);
    std::string command = "env TERM=screen P2P_DASH_FRAMES=" + (dir_ / "frames").string() + " " +
                          (fs::path(bin) / "dashboard_fake_lab").string() + " " +
                          (dir_ / "commands").string() + " " + (dir_ / "pid").string();
    tmux_ = std::make_unique<TmuxSession>(socket, command, 120, 40);
    ASSERT_TRUE(tmux_->started());
    ASSERT_TRUE(eventually([&] { return !row_of(screen(), "server-0").empty(); }, 10s)) << screen();
    pid_ = std::stoi(read_file(dir_ / "pid"));
  }

  void TearDown() override {
    tmux_.reset();
    if (pid_ > 0 && kill(pid_, 0) == 0) kill(pid_, SIGKILL);
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  std::string screen() { return tmux_->screen(); }
  void keys(const std::string& keys) { tmux_->keys(keys); }
  std::string commands() { return read_file(dir_ / "commands"); }
  long frames() { return read_frames((dir_ / "frames").string()).frames; }
  bool lab_running() { return kill(pid_, 0) == 0; }

  std::unique_ptr<TmuxSession> tmux_;
  fs::path dir_;
  pid_t pid_ = -1;
};

TEST_F(DashboardTmuxTest, TheTableShowsOneRowPerNode) {
  std::string shown = screen();
  for (const char* id : {"server-0", "peer-1", "peer-2", "peer-3", "peer-4"}) {
    std::string row = row_of(shown, id);
    EXPECT_NE(row.find("alive"), std::string::npos) << id << " in\n" << shown;
    // Exactly one row: the id opens no other line.
    EXPECT_EQ(shown.find("\n" + std::string(id) + " ", shown.find(row) + row.size()), std::string::npos)
        << id;
  }
  EXPECT_NE(shown.find("nodes 5: 5 alive"), std::string::npos) << shown;
}

TEST_F(DashboardTmuxTest, KillKeyTurnsTheNodeDeadWithinTwoSeconds) {
  // Rows by id: peer-1, peer-2, peer-3, ... Two steps down selects peer-3; `x` is kill -9.
  keys("j j x");
  ASSERT_TRUE(eventually(
      [&] { return commands().find(R"({"cmd":"kill","node":"peer-3"})") != std::string::npos; }, 5s))
      << commands();
  auto killed = Clock::now();
  ASSERT_TRUE(eventually([&] { return row_of(screen(), "peer-3").find("dead") != std::string::npos; }, 2s))
      << screen();
  EXPECT_LT(Clock::now() - killed, 2s);
  EXPECT_NE(row_of(screen(), "peer-2").find("alive"), std::string::npos);
}

TEST_F(DashboardTmuxTest, ResizingTo80x24AndBackKeepsItDrawing) {
  long before = frames();
  ASSERT_TRUE(tmux_->resize(80, 24));
  EXPECT_TRUE(eventually([&] { return frames() > before + 2; }, 5s));
  std::string small = screen();
  EXPECT_NE(row_of(small, "server-0"), "") << small;
  EXPECT_NE(small.find("frame "), std::string::npos) << small;

  long resized = frames();
  ASSERT_TRUE(tmux_->resize(120, 40));
  EXPECT_TRUE(eventually([&] { return frames() > resized + 2; }, 5s));
  EXPECT_NE(row_of(screen(), "peer-4"), "");
  EXPECT_TRUE(lab_running());
}

TEST_F(DashboardTmuxTest, QuitEndsTheLabAndLeavesNoProcess) {
  keys("q");
  EXPECT_TRUE(eventually([&] { return commands().find(R"({"cmd":"quit"})") != std::string::npos; }, 5s))
      << commands();
  EXPECT_TRUE(eventually([&] { return !lab_running(); }, 5s));
  // The pane's only process ended, so tmux closed the session.
  EXPECT_TRUE(eventually([&] { return !tmux_->running(); }, 5s));
}

}  // namespace
