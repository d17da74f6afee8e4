// Tests of the command endpoint's protocol where no node is needed: refusals, info and quit.
#include "labs/launcher/command_server.h"

#include <gtest/gtest.h>

namespace p2p::labs {
namespace {

TEST(CommandServerTest, RefusesWhatItCannotDoWithAReason) {
  bool quit = false;
  LabHandle lab;
  lab.quit = [&] { quit = true; };
  lab.info = [] { return nlohmann::json{{"scenario", "echo"}, {"elapsed", 1.5}, {"state", "ended"}}; };
  lab.control = [](const std::string&, const nlohmann::json&) {};

  // Not an object, an unknown command, and node commands once the run has ended (no supervisor).
  EXPECT_EQ(handle_command(nlohmann::json::array(), lab)["ok"], false);
  auto unknown = handle_command({{"cmd", "dance"}}, lab);
  EXPECT_EQ(unknown["ok"], false);
  EXPECT_NE(unknown["error"].get<std::string>().find("dance"), std::string::npos);
  auto ended = handle_command({{"cmd", "kill"}, {"node", "peer-1"}}, lab);
  EXPECT_EQ(ended["ok"], false);
  EXPECT_NE(ended["error"].get<std::string>().find("ended"), std::string::npos);

  // info answers from the lab; quit asks it to end.
  auto info = handle_command({{"cmd", "info"}}, lab);
  EXPECT_EQ(info["ok"], true);
  EXPECT_EQ(info["scenario"], "echo");
  EXPECT_FALSE(quit);
  EXPECT_EQ(handle_command({{"cmd", "quit"}}, lab)["ok"], true);
  EXPECT_TRUE(quit);
}

}  // namespace
}  // namespace p2p::labs
