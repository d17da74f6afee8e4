// The remote node wrapper, run here by the local sh as a host's sshd would run it: the node gets its own
// process group, leave and kill reach it through the wrapper's input, and the end of that input (the
// launcher or its ssh gone) kills it.
#include "labs/launcher/remote_command.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include "labs/launcher/process.h"

namespace p2p::labs {
namespace {

// The wrapper around `argv`, started under sh with a pipe for its input; ended and reaped when destroyed.
class Wrapped {
 public:
  explicit Wrapped(const std::vector<std::string>& argv) {
    int fds[2];
    EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    auto pid = spawn_node("/bin/sh", {"sh", "-c", remote_node_command(argv, "/tmp")}, "/dev/null", fds[0]);
    ::close(fds[0]);
    input_ = fds[1];
    pid_ = pid ? *pid : -1;
  }
  ~Wrapped() {
    close_input();
    if (pid_ > 0 && !status_) {
      signal_node(pid_, SIGKILL);
      wait(std::chrono::seconds(5));
    }
  }
  void send(const std::string& line) {
    EXPECT_EQ(::write(input_, line.data(), line.size()), (ssize_t)line.size());
  }
  void close_input() {
    if (input_ >= 0) ::close(input_);
    input_ = -1;
  }
  // The wrapper's exit status once it has ended, within `limit`.
  std::optional<ExitStatus> wait(std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!status_ && std::chrono::steady_clock::now() < deadline) {
      status_ = try_reap(pid_);
      if (!status_) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return status_;
  }

 private:
  pid_t pid_ = -1;
  int input_ = -1;
  std::optional<ExitStatus> status_;
};

// The pid a node of the test wrote to `file`, once it has, within a few seconds.
pid_t pid_in(const std::string& file) {
  for (int i = 0; i < 500; ++i) {
    std::ifstream in(file);
    pid_t pid = 0;
    if (in >> pid && pid > 0) return pid;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return 0;
}

bool gone(pid_t pid) {
  for (int i = 0; i < 300; ++i) {
    if (::kill(pid, 0) != 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

class RemoteCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "p2plab-wrapper-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  // A node that writes its pid and its child's (a second process in its group), then sleeps.
  std::vector<std::string> node() const {
    return {"sh", "-c", "sleep 30 & echo $! > " + dir_ + "/child; echo $$ > " + dir_ + "/pid; wait"};
  }
  std::string dir_;
};

TEST(ShellQuoteTest, QuotesEveryCharacterForTheRemoteShell) {
  EXPECT_EQ(shell_quote("a b"), "'a b'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote("$HOME;`x`"), "'$HOME;`x`'");
}

TEST_F(RemoteCommandTest, TheEndOfItsInputKillsTheNodesWholeGroup) {
  Wrapped wrapped(node());
  pid_t pid = pid_in(dir_ + "/pid"), child = pid_in(dir_ + "/child");
  ASSERT_GT(pid, 0);
  ASSERT_GT(child, 0);
  EXPECT_EQ(::getpgid(child), pid);  // the node leads its own group, with what it started
  wrapped.close_input();             // as when the launcher's ssh dies
  auto status = wrapped.wait(std::chrono::seconds(5));
  ASSERT_TRUE(status);
  EXPECT_EQ(status->code, 128 + SIGKILL);
  EXPECT_TRUE(gone(pid));
  EXPECT_TRUE(gone(child));
}

TEST_F(RemoteCommandTest, ASignalNameOnItsInputReachesTheNode) {
  Wrapped wrapped(node());
  ASSERT_GT(pid_in(dir_ + "/pid"), 0);
  wrapped.send("TERM\n");
  auto status = wrapped.wait(std::chrono::seconds(5));
  ASSERT_TRUE(status);
  EXPECT_EQ(status->code, 128 + SIGTERM);
  EXPECT_EQ(remote_signal_name(SIGTERM), "TERM");
  EXPECT_EQ(remote_signal_name(SIGKILL), "KILL");
  EXPECT_EQ(remote_signal_name(SIGHUP), "");
}

TEST_F(RemoteCommandTest, ANodeThatEndsByItselfEndsTheWrapperWithItsCode) {
  Wrapped wrapped({"sh", "-c", "exit 3"});
  auto status = wrapped.wait(std::chrono::seconds(5));
  ASSERT_TRUE(status);
  EXPECT_EQ(status->code, 3);
}

}  // namespace
}  // namespace p2p::labs
