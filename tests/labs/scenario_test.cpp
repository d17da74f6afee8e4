// Tests of the scenario reader: the INI format, --set overrides, and the mistakes it names.
#include "labs/launcher/scenario.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "labs/launcher/lab_files.h"
#include "labs/launcher/sweep_table.h"

namespace p2p::labs {
namespace {

constexpr const char* kSpof = R"(
description = one server, many peers
system = napster
duration = 90
seed = 7

[napster]
query_rate = 0.5

[role.server]
binary = napster-server

[role.peer]
count = 30
binary = napster-peer
args = --server {server-0} --query-rate {napster.query_rate}
link = adsl:60,cable:30,fibre:10
arrival = poisson:2
session = exp:40
graceful = 0.25
rejoin = fixed:5

[link.adsl]
up_kbps = 128

[timeline]
at = 60 restart server-0
at = 30 kill server-0
)";

Expected<Scenario> parse(const std::string& text, std::vector<std::string> overrides = {}) {
  std::istringstream in(text);
  return parse_scenario(in, "labs/02-napster/spof.ini", overrides);
}

TEST(ScenarioTest, ReadsEverySectionOfAFullScenario) {
  // Given the SPOF scenario above, every field lands where the launcher reads it.
  auto s = parse(kSpof);
  ASSERT_TRUE(s) << s.reason();
  EXPECT_EQ(s->name, "spof");
  EXPECT_EQ(s->dir, "labs/02-napster");
  EXPECT_EQ(s->description, "one server, many peers");
  EXPECT_EQ(s->system, "napster");
  EXPECT_EQ(s->duration, 90);
  EXPECT_EQ(s->seed, 7u);
  EXPECT_EQ(s->system_keys.at("napster.query_rate"), "0.5");

  // Roles keep the file's order, which is the order they start in.
  ASSERT_EQ(s->roles.size(), 2u);
  EXPECT_EQ(s->roles[0].name, "server");
  EXPECT_EQ(s->roles[0].count, 1u);  // the default
  const RoleSpec& peer = s->roles[1];
  EXPECT_EQ(peer.count, 30u);
  EXPECT_EQ(peer.binary, "napster-peer");
  EXPECT_EQ(peer.link.shares().size(), 3u);
  EXPECT_EQ(peer.arrival.kind, ArrivalSpec::Kind::Poisson);
  EXPECT_EQ(peer.arrival.rate, 2);
  EXPECT_FALSE(peer.churn.session.never());
  EXPECT_EQ(peer.churn.graceful, 0.25);
  EXPECT_FALSE(peer.churn.rejoin.never());

  // A [link.NAME] section changes one field of a built-in profile and keeps the others.
  EXPECT_EQ(s->profiles.at("adsl").up_kbps, 128u);
  EXPECT_EQ(s->profiles.at("adsl").down_kbps, builtin_profiles().at("adsl").down_kbps);

  // The timeline is sorted by time whatever the file's order.
  ASSERT_EQ(s->timeline.size(), 2u);
  EXPECT_EQ(s->timeline[0].kind, TimedAction::Kind::Kill);
  EXPECT_EQ(s->timeline[0].at, 30);
  EXPECT_EQ(s->timeline[1].kind, TimedAction::Kind::Restart);
}

TEST(ScenarioTest, SetOverridesWinOverTheFile) {
  // --set changes a role's count, a system key, the duration and the whole timeline.
  auto s = parse(kSpof,
                 {"role.peer.count=10", "napster.query_rate=2", "duration=5", "timeline.at=1 kill server-0"});
  ASSERT_TRUE(s) << s.reason();
  EXPECT_EQ(s->role("peer")->count, 10u);
  EXPECT_EQ(s->system_keys.at("napster.query_rate"), "2");
  EXPECT_EQ(s->duration, 5);
  ASSERT_EQ(s->timeline.size(), 1u);
  EXPECT_EQ(s->timeline[0].at, 1);
}

TEST(ScenarioTest, ASystemKeyIsTextThatMayHoldFlagsPlaceholdersAndPartOfAKeysName) {
  // The peers' args take the flags of the variant `mode` names: several words, one a node placeholder.
  std::string text = std::string(kSpof) + R"(
[role.watcher]
binary = napster-peer
args = --quiet {napster.flags_{napster.mode}} --rate "{napster.query_rate}"
)";
  text.replace(text.find("query_rate = 0.5"), 16,
               "query_rate = 0.5\nmode = plain\nflags_plain =\nflags_both = --first on --server {server-0}");
  auto plain = parse(text);
  ASSERT_TRUE(plain) << plain.reason();
  EXPECT_EQ(plain->role("watcher")->args, "--quiet  --rate \"0.5\"");
  auto both = parse(text, {"napster.mode=both"});
  ASSERT_TRUE(both) << both.reason();
  EXPECT_EQ(both->role("watcher")->args, "--quiet --first on --server {server-0} --rate \"0.5\"");
  // A key that names itself is refused rather than expanded for ever; a missing one is named.
  auto loop = parse(text, {"napster.flags_plain={napster.flags_plain}"});
  ASSERT_FALSE(loop);
  EXPECT_NE(loop.reason().find("name each other"), std::string::npos) << loop.reason();
  auto missing = parse(text, {"napster.mode=none"});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.reason().find("napster.flags_none"), std::string::npos) << missing.reason();
}

TEST(ScenarioTest, SetCanAddARoleThatStartsAfterTheFilesRoles) {
  auto s = parse(kSpof, {"role.watcher.binary=p2p-echo", "role.watcher.count=2"});
  ASSERT_TRUE(s) << s.reason();
  ASSERT_EQ(s->roles.size(), 3u);
  EXPECT_EQ(s->roles[2].name, "watcher");
  EXPECT_EQ(s->roles[2].count, 2u);
}

TEST(ScenarioTest, NamesTheKeyOfEachMistake) {
  // Each broken scenario fails with a reason that names what to fix.
  struct Case {
    std::vector<std::string> overrides;
    std::string expected;
  };
  std::vector<Case> cases = {
      {{"role.peer.cuont=3"}, "role.peer.cuont"},
      {{"gnutella.ttl=3"}, "gnutella.ttl"},
      {{"role.peer.count=many"}, "role.peer.count"},
      {{"role.peer.count=-1"}, "role.peer.count: expected a whole number"},
      {{"link.adsl.up_kbps=-5"}, "link.adsl.up_kbps"},
      {{"seed=-2"}, "seed: expected a whole number"},
      {{"role.peer.link=dialup"}, "dialup"},
      {{"role.peer.arrival=sometimes"}, "sometimes"},
      {{"role.peer.graceful=2"}, "role.peer.graceful"},
      {{"role.peer.session=exp:-1"}, "exp:-1"},
      {{"role.peer.args=--server {tracker-0}"}, "tracker-0"},
      {{"role.peer.args=--rate {napster.missing}"}, "napster.missing"},
      {{"timeline.at=10 explode server-0"}, "explode"},
      {{"timeline.at=10 kill role:tracker"}, "tracker"},
      {{"duration=0"}, "duration"},
      {{"duration=soon"}, "duration"},
      {{"no-equals-sign"}, "key=value"},
      {{"role.ghost.count=1"}, "role.ghost.binary"},
      {{"role.peer.topology=star"}, "role.peer.topology"},
      {{"role.peer.args=--neighbours {neighbours}"}, "role.peer.topology"},
      {{"role.peer.done=all done"}, "role.peer.done"},
      {{"goal.hit_ratio=0.9"}, "goal.hit_ratio"},
      {{"goal.hit_ratio=>= most"}, "goal.hit_ratio"},
      {{"sweep.lines.metrics.x= , "}, "sweep.lines.metrics.x"},
      {{"sweep.plot=metrics.x"}, "sweep.plot"},
  };
  for (const Case& c : cases) {
    auto s = parse(kSpof, c.overrides);
    ASSERT_FALSE(s) << c.overrides[0];
    EXPECT_NE(s.reason().find(c.expected), std::string::npos) << s.reason();
  }
}

// Found by labs_scenario_fuzz: Boost.Program_options never finished its message for a line holding one of
// its own placeholders. A plain '%' (a description's "70 %") is still fine.
TEST(ScenarioTest, APlaceholderOfBoostsMessagesIsRefusedNotLoopedOn) {
  auto bad_line = parse("system = napster\n[role.a]\nbinary = x\nargs 25 %invalid_line% of\n");
  ASSERT_FALSE(bad_line);
  EXPECT_NE(bad_line.reason().find("spof.ini:4: '%invalid_line%'"), std::string::npos) << bad_line.reason();
  auto bad_value = parse(kSpof, {"duration=%value%"});
  ASSERT_FALSE(bad_value);
  EXPECT_NE(bad_value.reason().find("--set:1: '%value%'"), std::string::npos) << bad_value.reason();
  EXPECT_TRUE(parse("description = 70 % of peers\nsystem = napster\n[role.a]\nbinary = x\n"));
}

TEST(ScenarioTest, ANulByteIsRefusedWithItsLineNotCutShort) {
  std::string text = "description = x\nsystem = napster\nduration = 5\n[role.a]\ncount = 1";
  text += '\0';
  text += "zz\n";
  auto s = parse(text);
  ASSERT_FALSE(s);
  EXPECT_NE(s.reason().find("spof.ini:5: a NUL byte"), std::string::npos) << s.reason();
  EXPECT_EQ(s.reason().find('\0'), std::string::npos);
}

TEST(ScenarioTest, ASweepSectionNamesTheLinesDrawnOnAFiguresPlot) {
  auto s =
      parse(kSpof + std::string("\n[sweep]\nlines.metrics.time_s = metrics.bound_s , metrics.other_s\n"));
  ASSERT_TRUE(s) << s.reason();
  EXPECT_EQ(s->sweep_lines, (SweepLines{{"metrics.time_s", {"metrics.bound_s", "metrics.other_s"}}}));
}

TEST(ScenarioTest, AGoalSectionStatesTheFiguresARunShouldReach) {
  auto s = parse(kSpof + std::string("\n[goal]\ncontinuity_mean = >= 0.99\ncontrol_overhead = <= 0.015\n"));
  ASSERT_TRUE(s) << s.reason();
  ASSERT_EQ(s->goals.size(), 2u);
  EXPECT_EQ(s->goals[0].text(), "continuity_mean >= 0.99");
  EXPECT_FALSE(s->goals[1].at_least);
  EXPECT_DOUBLE_EQ(s->goals[1].target, 0.015);
}

// Every scenario the labs ship loads as written, so `p2plab list` and the handouts' commands find them.
TEST(ScenarioTest, EveryShippedScenarioLoads) {
  std::size_t scenarios = 0;
  for (const auto& lab : std::filesystem::directory_iterator(labs_dir())) {
    if (!lab.is_directory()) continue;
    for (const auto& file : std::filesystem::directory_iterator(lab.path())) {
      if (file.path().extension() != ".ini") continue;
      ++scenarios;
      auto scenario = load_scenario(file.path().string(), {});
      ASSERT_TRUE(scenario) << file.path() << ": " << scenario.reason();
      EXPECT_FALSE(scenario->description.empty()) << file.path();
    }
  }
  EXPECT_GE(scenarios, 5u);
}

// A handout's command line split into words as a shell would (double quotes group), up to a comment or `&&`.
std::vector<std::string> shell_words(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool quoted = false, in_word = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
      in_word = true;
    } else if (c == ' ' && !quoted) {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  auto end =
      std::find_if(words.begin(), words.end(), [](const std::string& w) { return w == "#" || w == "&&"; });
  words.erase(end, words.end());
  return words;
}

// Every `./p2plab run` and `./p2plab sweep` a handout shows finds a scenario of the handout's own lab (a bare
// name that several labs use picks the first) and loads with the command's --set, --duration, --seed and
// each --vary value, so the handouts' commands run as written.
TEST(ScenarioTest, EveryHandoutCommandNamesAScenarioOfItsLabThatLoads) {
  std::size_t commands = 0;
  for (const auto& lab : std::filesystem::directory_iterator(labs_dir())) {
    std::ifstream handout(lab.path() / "README.md");
    std::string line;
    while (std::getline(handout, line)) {
      std::vector<std::string> words = shell_words(line);
      if (words.size() < 3 || words[0] != "./p2plab" || (words[1] != "run" && words[1] != "sweep")) continue;
      ++commands;
      auto path = resolve_scenario(words[2]);
      ASSERT_TRUE(path) << line << ": " << path.reason();
      EXPECT_EQ(std::filesystem::path(*path).parent_path(), lab.path()) << line;
      std::vector<std::string> overrides;
      std::vector<std::string> varied;
      for (std::size_t i = 3; i + 1 < words.size(); ++i) {
        const std::string& flag = words[i];
        if (flag == "--set") overrides.push_back(words[++i]);
        if (flag == "--duration" || flag == "--seed") overrides.push_back(flag.substr(2) + "=" + words[++i]);
        if (flag == "--vary") {
          auto axis = parse_vary(words[++i]);
          ASSERT_TRUE(axis) << line << ": " << axis.reason();
          for (const std::string& value : axis->values) varied.push_back(axis->key + "=" + value);
        }
      }
      if (varied.empty()) varied.push_back("");
      for (const std::string& value : varied) {
        std::vector<std::string> all = overrides;
        if (!value.empty()) all.push_back(value);
        auto scenario = load_scenario(*path, all);
        EXPECT_TRUE(scenario) << line << " (" << value << "): " << scenario.reason();
      }
    }
  }
  EXPECT_GE(commands, 20u);
}

TEST(ScenarioTest, ARoleMayNameTheEventThatSaysItsWorkIsDone) {
  auto s = parse(kSpof, {"role.peer.done=search_done"});
  ASSERT_TRUE(s) << s.reason();
  EXPECT_EQ(s->role("peer")->done_event, "search_done");
  EXPECT_EQ(s->role("server")->done_event, "");  // none by default: the run lasts its duration
  auto undone = parse(kSpof, {"role.peer.done=none"});
  ASSERT_TRUE(undone) << undone.reason();
  EXPECT_EQ(undone->role("peer")->done_event, "");
}

TEST(ScenarioTest, RefusesAKeyGivenTwiceAndAScenarioWithoutRoles) {
  EXPECT_FALSE(parse("[role.a]\nbinary = x\nbinary = y\n"));
  auto empty = parse("duration = 3\n");
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.reason().find("role"), std::string::npos);
}

TEST(ScenarioTest, ARoleCannotWaitForItself) {
  auto s = parse("[role.peer]\nbinary = x\nargs = --dial {role:peer}\n");
  ASSERT_FALSE(s);
  EXPECT_NE(s.reason().find("its own"), std::string::npos);
  // {all:ROLE} never waits, so a role may list its own nodes.
  EXPECT_TRUE(parse("[role.peer]\nbinary = x\nargs = --peers {all:peer}\n"));
}

TEST(ScenarioTest, ARoleMayLayItsNodesOnATopology) {
  // The overlay is the role's; {neighbours} gives each node the endpoints it dials in it.
  auto s = parse(kSpof, {"role.peer.topology=regular:4", "role.peer.args=--neighbours {neighbours}"});
  ASSERT_TRUE(s) << s.reason();
  EXPECT_EQ(s->role("peer")->topology.kind, TopologySpec::Kind::Regular);
  EXPECT_EQ(s->role("peer")->topology.links, 4u);
  EXPECT_TRUE(s->role("server")->topology.none());
}

}  // namespace
}  // namespace p2p::labs
