// What a lab exposes and leaves behind (issue 18, point 5): every socket a lab's processes listen on, the
// launcher's included, is on loopback; no node or helper program outlives a SIGKILLed launcher; and a
// restarted node whose old port another process holds now listens on a new one, where the nodes started after
// it find it.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdlib>
#include <map>

#include "labs/launcher/run_command.h"
#include "tests/labs/launcher_harness.h"

namespace p2p::labs::testing {
namespace {

using namespace std::chrono_literals;

const std::string kEverySystem = source("tests/labs/every_system.ini");
constexpr std::size_t kEverySystemNodes = 16;

// One listening TCP or unconnected UDP socket, as `ss -ltnup` lists it.
struct Listener {
  std::string netid;  // tcp or udp
  std::string local;  // 127.0.0.1:6699, [::1]:6699, 0.0.0.0:6699, *:6699
};

bool on_loopback(const Listener& l) {
  std::string address = l.local.substr(0, l.local.rfind(':'));
  return address.rfind("127.", 0) == 0 || address == "[::1]";
}

// Every listening socket on the machine, by the pids that hold it: `ss -ltnupH`, whose last column is
// users:(("prog",pid=N,fd=M),...).
std::multimap<pid_t, Listener> listeners_by_pid() {
  std::multimap<pid_t, Listener> by_pid;
  auto ss = run_command({"ss", "-ltnupH"}, 10);
  if (!ss || ss->code != 0) return by_pid;
  std::istringstream lines(ss->output);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    Listener l;
    std::string state, receive_queue, send_queue;
    if (!(fields >> l.netid >> state >> receive_queue >> send_queue >> l.local)) continue;
    for (auto at = line.find("pid="); at != std::string::npos; at = line.find("pid=", at + 4))
      by_pid.emplace(static_cast<pid_t>(std::stol(line.substr(at + 4))), l);
  }
  return by_pid;
}

// A `p2plab run ... --headless`, and its command endpoint once the run has written lab.json.
class RunningLab {
 public:
  RunningLab(const TempDir& dir, std::vector<std::string> args)
      : out_(dir.path() + "/run"), lab_(with_out(std::move(args), out_), dir.path() + "/output.txt") {}

  // The node list ({"id","pid","listen",...}) once `count` nodes are up and listening, or empty after 20 s.
  nlohmann::json wait_until_up(std::size_t count) {
    if (!eventually([&] { return json_file(out_ + "/lab.json").has_value(); }, 10s)) return {};
    commands_.emplace((*json_file(out_ + "/lab.json"))["commands"].get<std::string>());
    nlohmann::json nodes;
    bool up = eventually(
        [&] {
          nodes = ask({{"cmd", "nodes"}})["nodes"];
          std::size_t listening = 0;
          for (const auto& node : nodes) listening += node["state"] == "up" && node["listen"] != "";
          return listening == count;
        },
        20s);
    return up ? nodes : nlohmann::json();
  }
  nlohmann::json ask(const nlohmann::json& request) { return commands_->ask(request); }
  Launcher& launcher() { return lab_; }
  const std::string& out() const { return out_; }

 private:
  static std::vector<std::string> with_out(std::vector<std::string> args, const std::string& out) {
    args.insert(args.end(), {"--headless", "--out", out});
    return args;
  }

  std::string out_;
  Launcher lab_;
  std::optional<CommandClient> commands_;
};

std::vector<pid_t> pids_of(const nlohmann::json& nodes) {
  std::vector<pid_t> pids;
  for (const auto& node : nodes) pids.push_back(node["pid"].get<pid_t>());
  return pids;
}

TEST(ExposureTest, EveryListeningSocketOfALabIsOnLoopback) {
  TempDir dir;
  RunningLab lab(dir, {"run", kEverySystem});
  nlohmann::json nodes = lab.wait_until_up(kEverySystemNodes);
  ASSERT_EQ(nodes.size(), kEverySystemNodes) << lab.launcher().output();

  auto listeners = listeners_by_pid();
  std::vector<pid_t> pids = pids_of(nodes);
  pids.push_back(lab.launcher().pid());
  std::size_t udp = 0;
  for (pid_t pid : pids) {
    auto [begin, end] = listeners.equal_range(pid);
    // Each process listens on something (so the check below is not vacuous): a node on its port, the
    // launcher on its telemetry, control and command endpoints.
    EXPECT_NE(begin, end) << "pid " << pid << " listens on nothing";
    for (auto it = begin; it != end; ++it) {
      EXPECT_TRUE(on_loopback(it->second))
          << "pid " << pid << ": " << it->second.netid << " " << it->second.local;
      udp += it->second.netid == "udp";
    }
  }
  EXPECT_GE(listeners.count(lab.launcher().pid()), 4u);  // telemetry in and out, control, commands
  EXPECT_GE(udp, 3u);                                    // bt-dht, and the two bt-peers' DHT nodes
  EXPECT_EQ(lab.ask({{"cmd", "quit"}})["ok"], true);
  EXPECT_EQ(lab.launcher().wait(15s), std::optional<int>(0)) << lab.launcher().output();
  for (pid_t pid : pids) EXPECT_TRUE(gone(pid)) << pid;
}

TEST(ExposureTest, NoNodeOfAnySystemOutlivesTheLaunchersSigkill) {
  TempDir dir;
  RunningLab lab(dir, {"run", kEverySystem});
  nlohmann::json nodes = lab.wait_until_up(kEverySystemNodes);
  ASSERT_EQ(nodes.size(), kEverySystemNodes) << lab.launcher().output();
  std::vector<pid_t> pids = pids_of(nodes);
  for (pid_t pid : pids) ASSERT_FALSE(gone(pid)) << pid;

  ::kill(lab.launcher().pid(), SIGKILL);
  ASSERT_TRUE(lab.launcher().wait(2s));
  EXPECT_TRUE(eventually([&] { return std::all_of(pids.begin(), pids.end(), gone); }, 2s));
  for (pid_t pid : pids) EXPECT_TRUE(gone(pid)) << "node " << pid << " outlived the launcher";
}

TEST(ExposureTest, AHelperCommandDiesWithItsLauncher) {
  // A stand-in launcher, forked from this single-threaded test: it runs `sleep 30` through run_command, as
  // the launcher runs ssh and rsync before a lab across hosts, and is SIGKILLed meanwhile.
  pid_t launcher = ::fork();
  ASSERT_GE(launcher, 0);
  if (launcher == 0) {
    (void)run_command({"sleep", "30"}, 30);
    ::_exit(0);
  }
  // The helper, once it runs sleep (before its exec it is still a copy of the stand-in).
  std::string children =
      "/proc/" + std::to_string(launcher) + "/task/" + std::to_string(launcher) + "/children";
  pid_t helper = 0;
  bool sleeping = eventually(
      [&] {
        helper = static_cast<pid_t>(std::atol(slurp(children).c_str()));
        return helper > 0 && slurp("/proc/" + std::to_string(helper) + "/comm") == "sleep\n";
      },
      5s);
  ::kill(launcher, SIGKILL);
  ::waitpid(launcher, nullptr, 0);
  ASSERT_TRUE(sleeping);
  EXPECT_TRUE(eventually([&] { return gone(helper); }, 2s)) << "sleep " << helper << " outlived its launcher";
  if (!gone(helper)) ::kill(helper, SIGKILL);
}

// A TCP listener of the test's own on 127.0.0.1:`port`, closed when destroyed. SO_REUSEADDR, as the killed
// node's accepted connections may be left in TIME_WAIT on that port.
class PortHolder {
 public:
  explicit PortHolder(std::uint16_t port)
      : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)), port_(port) {
    int on = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  }
  ~PortHolder() { ::close(fd_); }
  // Whether it listens now. A node killed a moment ago can hold its port for some milliseconds after it is
  // gone: try again until it is free.
  bool take() {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port_);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return ::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0 &&
           ::listen(fd_, 1) == 0;
  }

 private:
  int fd_;
  std::uint16_t port_;
};

// The largest figure `key` in `node`'s status records (an echo client's frames: its greetings echoed back).
int largest(const std::string& out, const std::string& node, const std::string& key) {
  int most = 0;
  std::istringstream lines(slurp(out + "/events.jsonl"));
  for (std::string line; std::getline(lines, line);) {
    auto r = nlohmann::json::parse(line, nullptr, false);
    if (r.is_object() && r.value("kind", "") == "status" && r.value("node", "") == node)
      most = std::max(most, r["sys"].value(key, 0));
  }
  return most;
}

// The first node of `lab` in a new life: once the node list shows it up with a process other than `before`,
// that process and where it listens, read with ss (its "listening" event can be lost, and until the launcher
// learns the port the list shows the old one); an empty endpoint after 10 s.
std::pair<pid_t, std::string> next_life(RunningLab& lab, pid_t before) {
  std::pair<pid_t, std::string> life{0, ""};
  eventually(
      [&] {
        nlohmann::json node = lab.ask({{"cmd", "nodes"}})["nodes"][0];
        life.first = node["pid"].get<pid_t>();
        if (node["state"] != "up" || life.first == 0 || life.first == before) return false;
        auto listeners = listeners_by_pid();
        auto [begin, end] = listeners.equal_range(life.first);
        for (auto it = begin; it != end; ++it) {
          if (it->second.netid == "tcp") life.second = it->second.local;
        }
        return !life.second.empty();
      },
      10s);
  return life;
}

TEST(ExposureTest, ARestartedNodeWhosePortIsTakenListensOnANewOne) {
  // The echo lab with its timeline moved out of the way: the test kills and restarts the server itself.
  TempDir dir;
  RunningLab lab(dir, {"run", source("tests/labs/echo.ini"), "--duration", "30", "--set",
                       "timeline.at=29 kill server-0"});
  nlohmann::json nodes = lab.wait_until_up(4);
  ASSERT_EQ(nodes.size(), 4u) << lab.launcher().output();
  ASSERT_EQ(nodes[0]["id"], "server-0");
  std::string old = nodes[0]["listen"];
  std::uint16_t old_port = static_cast<std::uint16_t>(std::stoul(old.substr(old.rfind(':') + 1)));

  // Restarted as soon as it is reaped, the server takes its port back, though the port may stay busy for a
  // few milliseconds after.
  ASSERT_EQ(lab.ask({{"cmd", "restart"}, {"node", "server-0"}})["ok"], true);
  auto second = next_life(lab, nodes[0]["pid"].get<pid_t>());
  EXPECT_EQ(second.second, old) << lab.launcher().output();

  // Killed, its port taken by the test, and restarted: it comes up (not crashed) on another port, which the
  // launcher learns.
  ASSERT_EQ(lab.ask({{"cmd", "kill"}, {"node", "server-0"}})["ok"], true);
  ASSERT_TRUE(eventually([&] { return gone(second.first); }, 5s));
  PortHolder holder(old_port);
  ASSERT_TRUE(eventually([&] { return holder.take(); }, 2s))
      << "the test could not take port " << old_port << ":\n"
      << run_command({"ss", "-tanp", "sport = :" + std::to_string(old_port)}, 10)->output;
  ASSERT_EQ(lab.ask({{"cmd", "restart"}, {"node", "server-0"}})["ok"], true);
  std::string now = next_life(lab, second.first).second;
  ASSERT_NE(now, "") << lab.launcher().output();
  EXPECT_NE(now, old);
  EXPECT_TRUE(eventually([&] { return lab.ask({{"cmd", "nodes"}})["nodes"][0]["listen"] == now; }, 5s));

  // A client spawned now is told the new port, and its greetings come back from the server.
  ASSERT_EQ(lab.ask({{"cmd", "spawn"}, {"role", "client"}})["nodes"], nlohmann::json({"client-3"}));
  EXPECT_TRUE(eventually([&] { return largest(lab.out(), "client-3", "frames") >= 2; }, 10s))
      << lab.launcher().output();
  EXPECT_EQ(lab.ask({{"cmd", "quit"}})["ok"], true);
  ASSERT_EQ(lab.launcher().wait(15s), std::optional<int>(0)) << lab.launcher().output();
  EXPECT_NE(lab.launcher().output().find("server-0: " + old + " is taken by another process"),
            std::string::npos)
      << lab.launcher().output();
  EXPECT_EQ((*json_file(lab.out() + "/summary.json"))["nodes_crashed"], 0);
}

}  // namespace
}  // namespace p2p::labs::testing
