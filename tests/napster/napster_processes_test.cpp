// napster-server and napster-peer as real processes on loopback: searches answered, a download verified, the
// server SIGKILLed while a shaped transfer runs on, and a restart on the same port that serves searches
// again.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <thread>

#include <nlohmann/json.hpp>
#include <zmq.hpp>

extern char** environ;

namespace p2p::napster {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

double wall_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

class NapsterProcessesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("napster-processes-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    // The test is the telemetry collector: every node PUBlishes to this SUB socket.
    collector_.set(zmq::sockopt::subscribe, "");
    collector_.bind("tcp://127.0.0.1:*");
    telemetry_ = collector_.get(zmq::sockopt::last_endpoint);
  }

  // Every process the test started is gone at the end, whatever happened.
  void TearDown() override {
    for (auto& [name, pid] : pids_) kill_now(name);
    fs::remove_all(dir_);
  }

  // Starts a node binary from P2P_BIN with its standard output and error in DIR/NAME.log.
  void start(const std::string& name, const std::string& program, std::vector<std::string> args) {
    std::string path = std::string(std::getenv("P2P_BIN")) + "/" + program;
    std::string log = (dir_ / (name + ".log")).string();
    args.insert(args.begin(), {path, "--node-id", name, "--telemetry", telemetry_});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    pid_t pid = -1;
    int rc = posix_spawn(&pid, path.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ASSERT_EQ(rc, 0) << "cannot start " << path;
    pids_[name] = pid;
  }

  void kill_now(const std::string& name) {
    auto it = pids_.find(name);
    if (it == pids_.end() || it->second <= 0) return;
    kill(it->second, SIGKILL);
    waitpid(it->second, nullptr, 0);
    it->second = -1;
  }

  // Reads the telemetry that has arrived, until `done` holds or `limit` passes.
  bool wait_for(const std::function<bool()>& done, std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
      zmq::message_t message;
      while (collector_.recv(message, zmq::recv_flags::dontwait)) {
        auto record = json::parse(message.to_string_view(), nullptr, false);
        if (record.is_object()) records_.push_back(std::move(record));
      }
      if (done()) return true;
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  // The port the server logged ("listening on 127.0.0.1:PORT").
  int server_port(const std::string& name) {
    static const std::regex kListening("listening on 127\\.0\\.0\\.1:([0-9]+)");
    int port = 0;
    wait_for(
        [&] {
          std::ifstream log(dir_ / (name + ".log"));
          std::string text((std::istreambuf_iterator<char>(log)), {});
          std::smatch match;
          if (std::regex_search(text, match, kListening)) port = std::stoi(match[1]);
          return port != 0;
        },
        std::chrono::seconds(5));
    return port;
  }

  // The first event named `name` at or after wall time `since` that `matches`, if any has arrived.
  const json* find_event(std::string_view name, double since,
                         const std::function<bool(const json&)>& matches) {
    for (const json& r : records_) {
      if (r.value("kind", "") == "event" && r.value("event", "") == name && r.value("t", 0.0) >= since &&
          matches(r)) {
        return &r;
      }
    }
    return nullptr;
  }

  bool any_download_running() {
    for (const json& r : records_) {
      if (r.value("kind", "") == "status" && r.value("role", "") == "peer" &&
          r["sys"].value("downloads_active", 0) > 0) {
        return true;
      }
    }
    return false;
  }

  std::vector<std::string> peer_args(int port, int index) {
    // 30 catalogue files of 256 to 512 KiB over three peers, on 800 kbit/s uplinks: a transfer takes 2.5 to 5
    // s.
    return {"--server",          "127.0.0.1:" + std::to_string(port),
            "--data-dir",        (dir_ / ("data-" + std::to_string(index))).string(),
            "--catalogue-files", "30",
            "--min-file-size",   "256K",
            "--max-file-size",   "512K",
            "--files-per-node",  "2",
            "--nodes",           "3",
            "--node-index",      std::to_string(index),
            "--backoff-initial", "0.5",
            "--backoff-max",     "1",
            "--up-kbps",         "800",
            "--log-level",       "warn"};
  }

  fs::path dir_;
  zmq::context_t context_;
  zmq::socket_t collector_{context_, zmq::socket_type::sub};
  std::string telemetry_;
  std::map<std::string, pid_t> pids_;
  std::vector<json> records_;
};

TEST_F(NapsterProcessesTest, SearchesDieWithTheServerWhileTransfersRunOnAndReturnWithItsRestart) {
  // An index server on a port of its choosing, and three peers: Alice only shares, Bob and Carol search twice
  // a second and download what they find.
  start("server", "napster-server", {"--listen", "127.0.0.1:0"});
  int port = server_port("server");
  ASSERT_GT(port, 0) << "the server never logged its port";
  start("alice", "napster-peer", peer_args(port, 0));
  for (auto [name, index] : {std::pair{"bob", 1}, std::pair{"carol", 2}}) {
    auto args = peer_args(port, index);
    args.insert(args.end(), {"--query-rate", "2", "--download", "1", "--max-downloads", "2"});
    start(name, "napster-peer", args);
  }

  // Searches are answered with results, and a file moves between two peers with its MD5 checked.
  ASSERT_TRUE(wait_for(
      [&] {
        return find_event("search_done", 0,
                          [](const json& e) { return e["data"]["results"].get<int>() > 0; });
      },
      std::chrono::seconds(20)))
      << "no search was answered with results";
  ASSERT_TRUE(wait_for(
      [&] {
        return find_event("download_done", 0, [](const json& e) { return e["data"]["md5_ok"] == true; });
      },
      std::chrono::seconds(30)))
      << "no download was verified";

  // With a transfer under way, the index server is killed outright.
  ASSERT_TRUE(wait_for([&] { return any_download_running(); }, std::chrono::seconds(20)));
  kill_now("server");
  double killed = wall_now();

  // Searches now fail fast, and the transfer that was running finishes, verified, without the server.
  EXPECT_TRUE(wait_for(
      [&] {
        return find_event("search_done", killed + 0.2, [](const json& e) {
          return e["data"]["ok"] == false &&
                 e["data"]["reason"].get<std::string>().find("not connected") != std::string::npos;
        });
      },
      std::chrono::seconds(10)))
      << "no search failed after the kill";
  EXPECT_TRUE(wait_for(
      [&] {
        return find_event("download_done", killed, [&](const json& e) {
          double started = e["t"].get<double>() - e["data"]["duration_s"].get<double>();
          return e["data"]["ok"] == true && e["data"]["md5_ok"] == true && started < killed;
        });
      },
      std::chrono::seconds(15)))
      << "no transfer in flight at the kill completed";
  EXPECT_EQ(find_event("search_done", killed + 0.2, [](const json& e) { return e["data"]["ok"] == true; }),
            nullptr)
      << "a search succeeded with the server dead";

  // The server comes back on the same port, empty; the peers log in again, re-share, and searches succeed.
  start("server-again", "napster-server", {"--listen", "127.0.0.1:" + std::to_string(port)});
  double restarted = wall_now();
  EXPECT_EQ(server_port("server-again"), port);
  EXPECT_TRUE(wait_for(
      [&] {
        return find_event("search_done", restarted, [](const json& e) {
          return e["data"]["ok"] == true && e["data"]["results"].get<int>() > 0;
        });
      },
      std::chrono::seconds(15)))
      << "searches did not come back with the server";
  for (std::string name : {"alice", "bob", "carol"}) {
    EXPECT_TRUE(wait_for(
        [&] {
          return find_event("server_state", restarted, [&](const json& e) {
            return e["node"] == name && e["data"]["state"] == "online";
          });
        },
        std::chrono::seconds(10)))
        << name << " did not log in again";
  }
}

}  // namespace
}  // namespace p2p::napster
