// Test harness for p2plab as a process: start it, wait for it with a bound, read its files, talk to its
// command endpoint, and never leave it (or its nodes) behind.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>
#include <zmq.hpp>

#include "labs/launcher/process.h"

namespace p2p::labs::testing {

// The program `name` of this build: in P2P_BIN (ctest sets it), else beside the test binary (build/bin). Not
// "./NAME": from the repository that is the ./p2plab script, which configures and builds before it runs.
inline std::string bin(const std::string& name) {
  const char* dir = std::getenv("P2P_BIN");
  return (dir ? std::string(dir) : own_bin_dir()) + "/" + name;
}
inline std::string source(const std::string& path) {
  const char* dir = std::getenv("P2P_SOURCE");
  return std::string(dir ? dir : ".") + "/" + path;
}

inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::optional<nlohmann::json> json_file(const std::string& path) {
  auto value = nlohmann::json::parse(slurp(path), nullptr, false);
  if (value.is_discarded()) return std::nullopt;
  return value;
}

// A fresh folder under /tmp, removed when the test passes (kept for a look when it fails).
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "p2plab-test-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data()) ? pattern : std::string();
  }
  ~TempDir() {
    if (!::testing::Test::HasFailure() && !path_.empty()) std::filesystem::remove_all(path_);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A running `p2plab ...`, its stdout and stderr in one file. Ended (SIGTERM, then SIGKILL) when destroyed.
class Launcher {
 public:
  Launcher(std::vector<std::string> args, const std::string& output) : output_(output) {
    args.insert(args.begin(), bin("p2plab"));
    auto pid = spawn_node(args.front(), args, output);
    pid_ = pid ? *pid : -1;
  }
  ~Launcher() {
    if (pid_ <= 0 || code_) return;
    ::kill(pid_, SIGTERM);
    if (!wait(std::chrono::seconds(5))) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  pid_t pid() const { return pid_; }

  // The exit code once it has ended within `limit`.
  std::optional<int> wait(std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!code_ && std::chrono::steady_clock::now() < deadline) {
      if (auto status = try_reap(pid_)) {
        code_ = status->code;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return code_;
  }
  std::string output() const { return slurp(output_); }

 private:
  std::string output_;
  pid_t pid_ = -1;
  std::optional<int> code_;
};

// Waits until `done` or `limit`.
template <typename F>
bool eventually(F done, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

// Whether `pid` is gone: no such process, or a zombie waiting for init to reap it.
inline bool gone(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return true;
  std::string line;
  std::getline(stat, line);
  auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z';
}

// A client of the command endpoint: one request, one reply, bounded in time.
class CommandClient {
 public:
  explicit CommandClient(const std::string& endpoint) : socket_(context_, zmq::socket_type::req) {
    socket_.set(zmq::sockopt::linger, 0);
    socket_.connect(endpoint);
  }
  nlohmann::json ask(const nlohmann::json& request) {
    std::string text = request.dump();
    socket_.send(zmq::buffer(text), zmq::send_flags::none);
    std::vector<zmq::pollitem_t> items = {{socket_.handle(), 0, ZMQ_POLLIN, 0}};
    if (zmq::poll(items, std::chrono::milliseconds(5000)) == 0) return {{"ok", false}, {"error", "no reply"}};
    zmq::message_t reply;
    (void)socket_.recv(reply, zmq::recv_flags::none);
    return nlohmann::json::parse(reply.to_string_view(), nullptr, false);
  }

 private:
  zmq::context_t context_;
  zmq::socket_t socket_;
};

}  // namespace p2p::labs::testing
