// p2plab on real processes: short p2p-echo labs for --set, sweeps, reports, commands, bad input and the
// launcher's SIGKILL.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "tests/bench/bench_util.h"
#include "tests/labs/launcher_harness.h"

namespace p2p::labs::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const std::string kEcho = source("tests/labs/echo.ini");

// The pids of every node the launcher started, from its events in events.jsonl.
std::vector<pid_t> started_pids(const std::string& out) {
  std::vector<pid_t> pids;
  std::istringstream lines(slurp(out + "/events.jsonl"));
  std::string line;
  while (std::getline(lines, line)) {
    auto r = nlohmann::json::parse(line, nullptr, false);
    if (!r.is_object() || r.value("system", "") != "launcher") continue;
    std::string event = r.value("event", "");
    if (event == "node_started" || event == "node_restarted") pids.push_back(r["data"].value("pid", 0));
  }
  return pids;
}

TEST(LauncherTest, SetOverridesTheScenarioAndTheSummaryCountsTheNodes) {
  // Five clients instead of three, one kill at 0.5 s instead of the file's timeline, two seconds in all; and
  // a goal on a metric the echo system has no summariser for.
  TempDir dir;
  std::string out = dir.path() + "/run";
  Launcher lab(
      {"run", kEcho, "--headless", "--out", out, "--duration", "2", "--seed", "9", "--set",
       "role.client.count=5", "--set", "timeline.at=0.5 kill client-0", "--set", "goal.greetings=>= 1"},
      dir.path() + "/output.txt");
  ASSERT_EQ(lab.wait(30s), std::optional<int>(0)) << lab.output();

  auto summary = json_file(out + "/summary.json");
  ASSERT_TRUE(summary) << lab.output();
  EXPECT_EQ((*summary)["nodes_started"], 6);
  EXPECT_EQ((*summary)["nodes_killed"], 1);
  EXPECT_EQ((*summary)["nodes_crashed"], 0);
  EXPECT_EQ((*summary)["seed"], 9);
  EXPECT_EQ((*summary)["scenario"], "echo");
  EXPECT_GE((*summary)["duration_s"].get<double>(), 2.0);
  EXPECT_TRUE((*summary)["metrics"].is_object());
  // The goal is judged and printed: without the figure, neither met nor missed.
  ASSERT_EQ((*summary)["goals"].size(), 1u) << summary->dump();
  EXPECT_EQ((*summary)["goals"][0]["goal"], "greetings >= 1");
  EXPECT_TRUE((*summary)["goals"][0]["met"].is_null());
  EXPECT_NE(lab.output().find("goal greetings >= 1: no figure"), std::string::npos) << lab.output();
  // Each node has its log, and the headless run printed progress and the summary.
  EXPECT_TRUE(fs::exists(out + "/logs/client-4.log"));
  EXPECT_NE(lab.output().find("6 nodes started"), std::string::npos) << lab.output();
  for (pid_t pid : started_pids(out)) EXPECT_TRUE(gone(pid)) << pid;
}

TEST(LauncherTest, ARunEndsOnceEveryNodeOfADoneRoleSentItsEvent) {
  // Every node reports `listening` once it is up. With role.client.done = listening, the run ends when the
  // last client is up and the timeline (a spawn of 2 more clients at 2 s, the server's restart at 2.5 s) is
  // over, long before its 30 s.
  TempDir dir;
  std::string out = dir.path() + "/run";
  Launcher lab(
      {"run", kEcho, "--headless", "--out", out, "--duration", "30", "--set", "role.client.done=listening"},
      dir.path() + "/output.txt");
  ASSERT_EQ(lab.wait(20s), std::optional<int>(0)) << lab.output();
  auto summary = json_file(out + "/summary.json");
  ASSERT_TRUE(summary) << lab.output();
  EXPECT_EQ((*summary)["ended_by"], "every client sent listening");
  EXPECT_EQ((*summary)["nodes_started"], 6);  // the server, 3 clients and the 2 spawned at 2 s
  EXPECT_GE((*summary)["duration_s"].get<double>(), 2.5);
  EXPECT_LT((*summary)["duration_s"].get<double>(), 15);
  for (pid_t pid : started_pids(out)) EXPECT_TRUE(gone(pid)) << pid;
}

TEST(LauncherTest, ReportWritesTheTimeSeries) {
  TempDir dir;
  std::string out = dir.path() + "/run";
  Launcher lab({"run", kEcho, "--headless", "--out", out, "--duration", "2"}, dir.path() + "/run.txt");
  ASSERT_EQ(lab.wait(30s), std::optional<int>(0)) << lab.output();
  Launcher report({"report", out}, dir.path() + "/report.txt");
  ASSERT_EQ(report.wait(30s), std::optional<int>(0)) << report.output();
  std::string csv = slurp(out + "/timeseries.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')).substr(0, 18), "t,nodes_up,up_kbps");
  EXPECT_TRUE(fs::exists(out + "/plots/plots.gp"));
}

// ./p2plab builds only these before a lab: the demo's programs, and a named scenario's.
TEST(LauncherTest, ProgramsNamesWhatAScenarioStartsOnceEach) {
  TempDir dir;
  Launcher demo({"programs"}, dir.path() + "/demo.txt");
  ASSERT_EQ(demo.wait(10s), std::optional<int>(0)) << demo.output();
  EXPECT_EQ(demo.output(), "bt-peer\nbt-tracker\n");
  Launcher spof({"programs", source("labs/02-napster/spof.ini")}, dir.path() + "/spof.txt");
  ASSERT_EQ(spof.wait(10s), std::optional<int>(0)) << spof.output();
  EXPECT_EQ(spof.output(), "napster-peer\nnapster-server\n");
}

TEST(LauncherTest, SweepRunsEachValueAndCombinesTheSummaries) {
  // Two values of the client count, one repeat each: two runs, one row each, and a plot per figure.
  TempDir dir;
  Launcher sweep({"sweep", kEcho, "--vary", "role.client.count=1,2", "--duration", "1.5", "--set",
                  "timeline.at=0.5 kill client-0", "--out", dir.path() + "/sweep"},
                 dir.path() + "/output.txt");
  ASSERT_EQ(sweep.wait(60s), std::optional<int>(0)) << sweep.output();
  std::string csv = slurp(dir.path() + "/sweep/sweep.csv");
  std::istringstream lines(csv);
  std::string header, first, second, extra;
  std::getline(lines, header);
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_FALSE(std::getline(lines, extra));
  EXPECT_EQ(header.substr(0, 34), "value_index,value,repeat,seed,out,") << header;
  EXPECT_NE(header.find("nodes_started"), std::string::npos);
  EXPECT_EQ(first.substr(0, 4), "0,1,");
  EXPECT_EQ(second.substr(0, 4), "1,2,");
  auto summary = json_file(dir.path() + "/sweep/v1-r0/summary.json");
  ASSERT_TRUE(summary);
  EXPECT_EQ((*summary)["nodes_started"], 3);
  EXPECT_TRUE(fs::exists(dir.path() + "/sweep/sweep_means.csv"));
  EXPECT_TRUE(fs::exists(dir.path() + "/sweep/plots/nodes_started.png"));
}

TEST(LauncherTest, CommandEndpointKillsRestartsSpawnsAndQuits) {
  TempDir dir;
  std::string out = dir.path() + "/run";
  Launcher lab(
      {"run", kEcho, "--headless", "--out", out, "--duration", "60", "--set", "timeline.at=59 kill server-0"},
      dir.path() + "/output.txt");
  ASSERT_TRUE(eventually([&] { return json_file(out + "/lab.json").has_value(); }, 10s)) << lab.output();
  auto info = *json_file(out + "/lab.json");
  for (const char* key : {"telemetry", "commands", "pid", "scenario"}) EXPECT_TRUE(info.contains(key)) << key;
  EXPECT_EQ(info["pid"], lab.pid());
  CommandClient commands(info["commands"].get<std::string>());

  // The four nodes come up.
  auto up = [&] {
    std::size_t n = 0;
    nlohmann::json reply = commands.ask({{"cmd", "nodes"}});
    for (const auto& node : reply["nodes"]) n += node["state"] == "up";
    return n;
  };
  ASSERT_TRUE(eventually([&] { return up() == 4; }, 10s));

  // kill, then restart under the same id; spawn two; bad requests get a reason.
  EXPECT_EQ(commands.ask({{"cmd", "kill"}, {"node", "client-0"}})["ok"], true);
  auto nodes = commands.ask({{"cmd", "nodes"}})["nodes"];
  EXPECT_EQ(nodes[1]["id"], "client-0");
  EXPECT_EQ(nodes[1]["state"], "killed");
  EXPECT_EQ(commands.ask({{"cmd", "restart"}, {"node", "client-0"}})["ok"], true);
  auto spawned = commands.ask({{"cmd", "spawn"}, {"role", "client"}, {"count", 2}});
  EXPECT_EQ(spawned["nodes"], nlohmann::json({"client-3", "client-4"}));
  EXPECT_TRUE(eventually([&] { return up() == 6; }, 10s));
  EXPECT_EQ(commands.ask({{"cmd", "kill"}, {"node", "nobody-7"}})["ok"], false);
  EXPECT_EQ(commands.ask({{"cmd", "spawn"}, {"role", "ghost"}})["ok"], false);
  auto unknown = commands.ask({{"cmd", "explode"}});
  EXPECT_EQ(unknown["ok"], false);
  EXPECT_NE(unknown["error"].get<std::string>().find("known:"), std::string::npos);

  // quit ends the lab cleanly, with a summary that counts what the commands did.
  EXPECT_EQ(commands.ask({{"cmd", "quit"}})["ok"], true);
  ASSERT_EQ(lab.wait(15s), std::optional<int>(0)) << lab.output();
  auto summary = json_file(out + "/summary.json");
  ASSERT_TRUE(summary);
  EXPECT_EQ((*summary)["nodes_killed"], 1);
  EXPECT_EQ((*summary)["nodes_restarted"], 1);
  EXPECT_EQ((*summary)["nodes_started"], 6);
  EXPECT_EQ((*summary)["ended_by"], "quit");
  for (pid_t pid : started_pids(out)) EXPECT_TRUE(gone(pid)) << pid;
}

TEST(LauncherTest, NoNodeSurvivesTheLaunchersSigkill) {
  // A lab runs; the launcher is killed with SIGKILL, so it cannot clean up: the death signal must.
  TempDir dir;
  std::string out = dir.path() + "/run";
  Launcher lab({"run", kEcho, "--headless", "--out", out, "--duration", "60"}, dir.path() + "/output.txt");
  std::vector<pid_t> pids;
  ASSERT_TRUE(eventually(
      [&] {
        pids = started_pids(out);
        return pids.size() >= 4;
      },
      10s))
      << lab.output();
  for (pid_t pid : pids) ASSERT_FALSE(gone(pid)) << pid;
  ::kill(lab.pid(), SIGKILL);
  ASSERT_TRUE(lab.wait(5s));
  for (pid_t pid : pids)
    EXPECT_TRUE(eventually([&] { return gone(pid); }, 3s)) << "node " << pid << " outlived it";
}

TEST(LauncherTest, FirstPortPutsTheRunsNodeKOnPortNPlusK) {
  // Echo's server and three clients, then two clients spawned at 2 s: six nodes on six consecutive ports,
  // and the server killed and restarted takes its port back.
  TempDir dir;
  std::string out = dir.path() + "/run";
  int first = bench::free_port_run(6);
  ASSERT_NE(first, 0) << "no six free ports in a row";
  Launcher lab({"run", kEcho, "--headless", "--out", out, "--first-port", std::to_string(first)},
               dir.path() + "/output.txt");
  ASSERT_EQ(lab.wait(30s), std::optional<int>(0)) << lab.output();

  std::map<std::string, std::set<std::string>> listened;  // node -> every endpoint it announced
  std::istringstream lines(slurp(out + "/events.jsonl"));
  for (std::string line; std::getline(lines, line);) {
    auto r = nlohmann::json::parse(line, nullptr, false);
    if (r.is_object() && r.value("event", "") == "listening")
      listened[r.value("node", "")].insert(r["data"].value("listen", ""));
  }
  auto on = [&](int offset) { return std::set<std::string>{"127.0.0.1:" + std::to_string(first + offset)}; };
  EXPECT_EQ(listened["server-0"], on(0));
  for (int client = 0; client < 5; ++client)
    EXPECT_EQ(listened["client-" + std::to_string(client)], on(1 + client)) << "client-" << client;
}

TEST(LauncherTest, SetUpMistakesExitWithCodeTwoAndOneLine) {
  TempDir dir;
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  std::vector<Case> cases = {
      {{"run", dir.path() + "/missing.ini", "--headless"}, "missing.ini"},
      {{"run", kEcho, "--headless", "--set", "role.client.cuont=3"}, "role.client.cuont"},
      {{"run", kEcho, "--headless", "--set", "role.client.binary=no-such-program"}, "no-such-program"},
      {{"run", kEcho, "--headless", "--duration", "soon"}, "duration"},
      {{"run", kEcho, "--headless", "--first-port", "65533"}, "--first-port"},
      {{"sweep", kEcho, "--vary", "novalues"}, "--vary"},
      {{"report", dir.path()}, "events.jsonl"},
      {{"dash", dir.path()}, "lab.json"},
      {{"programs", dir.path() + "/missing.ini"}, "missing.ini"},
      {{"frobnicate"}, "frobnicate"},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    Launcher p2plab(cases[i].args, dir.path() + "/out" + std::to_string(i) + ".txt");
    ASSERT_EQ(p2plab.wait(10s), std::optional<int>(2)) << cases[i].says << ": " << p2plab.output();
    std::string output = p2plab.output();
    EXPECT_EQ(std::count(output.begin(), output.end(), '\n'), 1) << output;
    EXPECT_NE(output.find(cases[i].says), std::string::npos) << output;
  }
  // Nothing was started, so no run folder was made.
  EXPECT_FALSE(fs::exists("runs/echo-should-not-exist"));
}

}  // namespace
}  // namespace p2p::labs::testing
