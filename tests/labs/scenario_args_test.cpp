// Every role of every shipped scenario starts a program that accepts its arguments: each args template,
// filled in as the launcher fills it, is given to the role's binary with --help, which parses every flag
// and its value and exits 0, or names the flag it refuses and exits 2. A scenario that names a flag its
// program lost would otherwise only show as nodes crashing at start, in a run nobody tests.
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <filesystem>

#include "labs/launcher/args_template.h"
#include "labs/launcher/lab_files.h"
#include "labs/launcher/scenario.h"
#include "tests/labs/launcher_harness.h"

namespace p2p::labs::testing {
namespace {

// What the launcher would put in each placeholder; any endpoint will do, since nothing is dialled.
std::optional<std::string> fill(const Scenario& scenario, const RoleSpec& role, const Placeholder& p,
                                const std::string& out) {
  switch (p.kind) {
    case Placeholder::Kind::Node:
    case Placeholder::Kind::FirstOfRole:
    case Placeholder::Kind::AllOfRole:
    case Placeholder::Kind::Neighbours:
      return "127.0.0.1:9";
    case Placeholder::Kind::SystemKey: {
      auto it = scenario.system_keys.find(p.name);
      return it == scenario.system_keys.end() ? std::nullopt : std::optional(it->second);
    }
    case Placeholder::Kind::Builtin:
      if (p.name == "id") return role.name + "-0";
      if (p.name == "role") return role.name;
      if (p.name == "index") return "0";
      if (p.name == "count") return std::to_string(role.count);
      if (p.name == "seed") return "1";
      if (p.name == "out") return out;
      if (p.name == "dir") return scenario.dir;
      return std::nullopt;
  }
  return std::nullopt;
}

TEST(ScenarioArgsTest, EveryRoleOfEveryShippedScenarioPassesArgumentsItsProgramAccepts) {
  TempDir dir;
  std::size_t roles = 0;
  for (const auto& lab : std::filesystem::directory_iterator(labs_dir())) {
    if (!lab.is_directory()) continue;
    for (const auto& file : std::filesystem::directory_iterator(lab.path())) {
      if (file.path().extension() != ".ini") continue;
      auto scenario = load_scenario(file.path().string(), {});
      ASSERT_TRUE(scenario) << file.path() << ": " << scenario.reason();
      for (const RoleSpec& role : scenario->roles) {
        SCOPED_TRACE(file.path().string() + ", role " + role.name);
        auto args = ArgsTemplate::parse(role.args);
        ASSERT_TRUE(args) << args.reason();
        auto words = args->expand([&](const Placeholder& p) { return fill(*scenario, role, p, dir.path()); });
        ASSERT_TRUE(words) << "a placeholder the scenario cannot fill";
        std::vector<std::string> argv = {bin(role.binary)};
        argv.insert(argv.end(), words->begin(), words->end());
        argv.push_back("--help");
        const std::string log = dir.path() + "/" + role.name + ".txt";
        auto pid = spawn_node(argv.front(), argv, log);
        ASSERT_TRUE(pid) << pid.reason();
        int status = 0;
        ASSERT_EQ(::waitpid(*pid, &status, 0), *pid);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << slurp(log).substr(0, 400);
        ++roles;
      }
    }
  }
  EXPECT_GE(roles, 20u);
}

}  // namespace
}  // namespace p2p::labs::testing
